CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    document TEXT NOT NULL,
    state TEXT);
