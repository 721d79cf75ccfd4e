CREATE TABLE discovery_self (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    id TEXT NOT NULL,
    epoch INTEGER NOT NULL);
CREATE TABLE services (
    id TEXT PRIMARY KEY,
    document TEXT NOT NULL);
CREATE TABLE known_event_types (
    type TEXT PRIMARY KEY,
    datacontenttype TEXT,
    dataschema TEXT,
    last_seen INTEGER NOT NULL);
