using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Testing;

namespace Gateway.SpecConformance.Infrastructure;

/// <summary>
/// A real PostgreSQL (Debian's server, started by <see cref="PostgresServer"/>) and gateway nodes that share one
/// database on it.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A fresh database and <paramref name="count"/> gateway nodes on it, started together.</summary>
    public async Task<GatewayProcess[]> StartNodesAsync(int count)
    {
        var database = "gw_" + Guid.NewGuid().ToString("N");
        await Server.CreateDatabaseAsync(database);
        var settings = new Dictionary<string, string>
        {
            ["Gateway:Storage"] = "postgres",
            ["ConnectionStrings:Gateway"] = Server.ConnectionString(database),
            ["Logging:LogLevel:Gateway.Storage.Postgres"] = "Information",
        };
        return await Task.WhenAll(Enumerable.Range(0, count).Select(_ => GatewayProcess.StartAsync(settings: settings)));
    }

    /// <summary>The log partitions a node dispatches, from its <c>/healthz</c>; empty when it does not answer.</summary>
    public static async Task<int[]> PartitionsAsync(GatewayProcess node)
    {
        using var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            var health = await client.GetFromJsonAsync<JsonObject>("healthz");
            return [.. health!["partitions"]!.AsArray().Select(p => p!.GetValue<int>())];
        }
        catch (HttpRequestException)
        {
            return [];
        }
    }

    /// <summary>Waits until the live nodes own every partition between them, each one some, none twice.</summary>
    public static async Task<TimeSpan> WaitUntilBalancedAsync(IReadOnlyList<GatewayProcess> nodes, TimeSpan timeout)
    {
        var started = DateTime.UtcNow;
        var owned = Array.Empty<int[]>();
        while (DateTime.UtcNow - started < timeout)
        {
            owned = await Task.WhenAll(nodes.Select(PartitionsAsync));
            var all = owned.SelectMany(p => p).ToList();
            if (owned.All(p => p.Length > 0) && all.Count == 16 && all.Distinct().Count() == 16)
            {
                return DateTime.UtcNow - started;
            }

            await Task.Delay(100);
        }

        var seen = string.Join(" | ", owned.Select(p => string.Join(',', p)));
        var logs = string.Join("\n---\n", nodes.Select(n => n.Output));
        throw new TimeoutException($"the nodes did not share the partitions within {timeout}; last seen: {seen}\n{logs}");
    }
}
