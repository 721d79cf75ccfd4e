CREATE TABLE sources (
    id text PRIMARY KEY,
    added bigserial NOT NULL,
    document jsonb NOT NULL,
    state text);
