namespace Gateway.Testing;

/// <summary>
/// One throwaway PostgreSQL server (<see cref="PostgresServer"/>) for the tests that share the fixture; each test creates
/// its own database on it. Shared by tests/ (the storage contract suite, as a collection fixture) and spec-conformance/
/// (the gateway nodes of PostgresCluster).
/// </summary>
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
