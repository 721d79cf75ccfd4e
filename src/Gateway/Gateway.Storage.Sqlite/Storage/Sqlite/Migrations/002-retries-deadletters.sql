CREATE TABLE retries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id TEXT NOT NULL,
    event BLOB NOT NULL,
    attempts INTEGER NOT NULL,
    first_attempt INTEGER NOT NULL,
    due INTEGER NOT NULL,
    last_code INTEGER,
    last_reason TEXT);
CREATE INDEX retries_due ON retries (subscription_id, due);
CREATE TABLE deadletters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id TEXT NOT NULL,
    event BLOB NOT NULL,
    reason TEXT NOT NULL,
    code INTEGER,
    attempts INTEGER NOT NULL,
    time INTEGER NOT NULL,
    error TEXT);
CREATE INDEX deadletters_subscription ON deadletters (subscription_id, id);
ALTER TABLE subscriptions ADD COLUMN disabled_reason TEXT;
