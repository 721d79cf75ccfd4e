-- The Data Protection key ring that seals stored credentials, shared by every node.
CREATE TABLE data_protection_keys (
    name text PRIMARY KEY,
    xml text NOT NULL);
