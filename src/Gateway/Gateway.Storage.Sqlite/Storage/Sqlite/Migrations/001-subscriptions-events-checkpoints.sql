CREATE TABLE subscriptions (
    id TEXT PRIMARY KEY,
    document TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL);
-- AUTOINCREMENT: positions never go back, even after the log was pruned to empty.
CREATE TABLE events (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    event BLOB NOT NULL);
CREATE TABLE checkpoints (
    name TEXT PRIMARY KEY,
    position INTEGER NOT NULL);
