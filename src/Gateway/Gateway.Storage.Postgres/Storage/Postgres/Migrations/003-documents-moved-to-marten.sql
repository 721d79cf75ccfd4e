-- The documents moved to Marten; LegacyDocumentImport copies them over just before this runs.
DROP TABLE subscriptions, sources, services, discovery_self, known_event_types;
