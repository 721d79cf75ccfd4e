using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Testing;
using Npgsql;

namespace Gateway.SpecConformance.Infrastructure;

/// <summary>
/// A real PostgreSQL (the shared <see cref="PostgresFixture"/>) and gateway nodes that share one database on it.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();

    public PostgresServer Server => _postgres.Server;

    public ValueTask InitializeAsync() => _postgres.InitializeAsync();

    public ValueTask DisposeAsync() => _postgres.DisposeAsync();

    /// <summary>A fresh database and <paramref name="count"/> gateway nodes on it (<c>node-0</c>, …), started together.</summary>
    public async Task<GatewayProcess[]> StartNodesAsync(int count)
    {
        var connectionString = await _postgres.CreateDatabaseAsync();
        return await Task.WhenAll(Enumerable.Range(0, count).Select(n => GatewayProcess.StartAsync(settings: new Dictionary<string, string>
        {
            ["Gateway:Storage"] = "postgres",
            ["Gateway:NodeName"] = $"node-{n}",
            ["ConnectionStrings:Gateway"] = connectionString,
            ["Logging:LogLevel:Gateway.Storage.Postgres"] = "Information",
        })));
    }

    /// <summary>
    /// Ends <paramref name="node"/>'s lease session from the server side, as a network cut would: the node stops
    /// hearing other nodes' changes until it has joined again.
    /// </summary>
    public static async Task CutOffListenerAsync(GatewayProcess node)
    {
        var terminated = await QueryLeaseSessionAsync(node, "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 10000))");
        Assert.Equal(1, terminated);
    }

    /// <summary>Whether <paramref name="node"/> has a lease session (and so may listen) now.</summary>
    public static async Task<bool> HasLeaseSessionAsync(GatewayProcess node) =>
        await QueryLeaseSessionAsync(node, "SELECT count(*)") > 0;

    private static async Task<long> QueryLeaseSessionAsync(GatewayProcess node, string select)
    {
        await using var connection = new NpgsqlConnection(node.Settings["ConnectionStrings:Gateway"]);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"{select} FROM pg_stat_activity WHERE datname = current_database() AND application_name = @name;", connection);
        // The name the gateway gives its lease session (PartitionLeases.LeaseSessionName).
        command.Parameters.AddWithValue("name", $"gateway-leases {node.Settings["Gateway:NodeName"]}");
        return (long)(await command.ExecuteScalarAsync())!;
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
