using Gateway.Testing;

namespace Gateway.Tests.Storage;

/// <summary>
/// The test classes that share the server. A collection fixture, not an assembly fixture: the server starts only when a
/// PostgreSQL test runs, so the SQLite tests need no PostgreSQL installed.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
