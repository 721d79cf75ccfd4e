using Gateway.Testing;

namespace Gateway.Tests.Storage;

/// <summary>One throwaway PostgreSQL server for every PostgreSQL test of the run; each test creates its own database on it.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("the server starts in InitializeAsync");

    public async ValueTask InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A fresh database on the server, named uniquely so tests never share one.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        await Server.CreateDatabaseAsync(name);
        return Server.ConnectionString(name);
    }
}

/// <summary>
/// The test classes that share the server. A collection fixture, not an assembly fixture: the server starts only when a
/// PostgreSQL test runs, so the SQLite tests need no PostgreSQL installed.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
