CREATE TABLE subscriptions (
    id text PRIMARY KEY,
    added bigserial NOT NULL,
    document jsonb NOT NULL,
    disabled_reason text,
    paused boolean NOT NULL DEFAULT false,
    created_at bigint NOT NULL,
    state_changed bigint NOT NULL);
CREATE TABLE log_partitions (
    partition int PRIMARY KEY,
    head bigint NOT NULL DEFAULT 0);
INSERT INTO log_partitions (partition) SELECT generate_series(0, @last_partition);
CREATE TABLE log_checkpoints (
    partition int PRIMARY KEY,
    position bigint NOT NULL);
CREATE TABLE events (
    partition int NOT NULL,
    position bigint NOT NULL,
    event bytea NOT NULL,
    PRIMARY KEY (partition, position));
CREATE TABLE retries (
    id bigserial PRIMARY KEY,
    subscription_id text NOT NULL,
    event bytea NOT NULL,
    attempts int NOT NULL,
    first_attempt bigint NOT NULL,
    due bigint NOT NULL,
    last_code int,
    last_reason text);
CREATE INDEX retries_due ON retries (subscription_id, due);
CREATE TABLE deadletters (
    id bigserial PRIMARY KEY,
    subscription_id text NOT NULL,
    event bytea NOT NULL,
    reason text NOT NULL,
    code int,
    attempts int NOT NULL,
    time bigint NOT NULL,
    error text);
CREATE INDEX deadletters_subscription ON deadletters (subscription_id, id);
CREATE TABLE discovery_self (
    singleton int PRIMARY KEY CHECK (singleton = 1),
    id text NOT NULL,
    epoch bigint NOT NULL);
CREATE TABLE services (
    id text PRIMARY KEY,
    document jsonb NOT NULL);
CREATE TABLE known_event_types (
    type text PRIMARY KEY,
    datacontenttype text,
    dataschema text,
    last_seen bigint NOT NULL);
