using System.Runtime.CompilerServices;
using Gateway.Storage.Postgres;
using Gateway.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using static Gateway.Tests.Storage.StoreData;

namespace Gateway.Tests.Storage;

/// <summary>
/// The leases that share the event log's partitions among nodes on one database (issue: each event dispatched by one
/// live node; a dead node's work taken over within 10 seconds), and the notifications the same connection listens to.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PartitionLeasesTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Takeover = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoNodes_SplitThePartitions_AndTheSurvivorTakesAllWhenOneLeaves()
    {
        await using var database = await MigratedAsync();
        await using var first = await NodeAsync(database);
        await WaitUntilAsync(() => first.Leases.Owned.Count == PostgresDatabase.PartitionCount);

        var second = await NodeAsync(database);
        await WaitUntilAsync(() =>
            first.Leases.Owned.Count > 0 && second.Leases.Owned.Count > 0
            && first.Leases.Owned.Concat(second.Leases.Owned).Distinct().Count() == PostgresDatabase.PartitionCount);
        Assert.Empty(first.Leases.Owned.Intersect(second.Leases.Owned));
        Assert.Equal(PostgresDatabase.PartitionCount / 2, first.Leases.Owned.Count);

        await second.DisposeAsync();
        await WaitUntilAsync(() => first.Leases.Owned.Count == PostgresDatabase.PartitionCount);
    }

    [Fact]
    public async Task RetriesOfASubscription_AreDrivenByExactlyOneNode()
    {
        await using var database = await MigratedAsync();
        await using var first = await NodeAsync(database);
        await using var second = await NodeAsync(database);
        await WaitUntilAsync(() => first.Leases.Owned.Count + second.Leases.Owned.Count == PostgresDatabase.PartitionCount
            && first.Leases.Owned.Count > 0 && second.Leases.Owned.Count > 0);

        foreach (var id in Enumerable.Range(0, 50).Select(i => $"sub-{i}"))
        {
            Assert.True(first.Leases.Owns(id) ^ second.Leases.Owns(id), id);
        }
    }

    [Fact]
    public async Task AChangeMadeAsSoonAsTheNodeHasStarted_IsHeard_AndTheFirstJoinComparesNothing()
    {
        await using var database = await MigratedAsync();
        await using var listener = await NodeAsync(database, "listener");

        // StartAsync returns only once the node listens, so nothing made after it can go unheard.
        await new PostgresSubscriptionStore(database, Secrets).AddAsync(Subscription("sub-heard"), Ct);

        Assert.Equal(new StoreChange.Subscription("sub-heard"), await ReadAsync(listener.Changes));
    }

    [Fact]
    public async Task ANodeWhoseSessionIsCut_JoinsAgain_AndComparesEverything()
    {
        await using var database = await MigratedAsync();
        await using var node = await NodeAsync(database, "cut-off");

        await using (var admin = new NpgsqlConnection(database.ConnectionString))
        {
            await admin.OpenAsync(Ct);
            await using var terminate = new NpgsqlCommand(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 10000)) FROM pg_stat_activity WHERE application_name = @name;",
                admin);
            terminate.Parameters.AddWithValue("name", PartitionLeases.LeaseSessionName("cut-off"));
            Assert.Equal(1L, await terminate.ExecuteScalarAsync(Ct));
        }

        // What was changed while it could not hear is compared afresh (a rejoin's "compare everything").
        Assert.Equal(new StoreChange.AllSubscriptions(), await ReadAsync(node.Changes));
        Assert.Equal(new StoreChange.Services(), await ReadAsync(node.Changes));
        Assert.Equal(new StoreChange.AllSources(), await ReadAsync(node.Changes));
    }

    private async Task<PostgresDatabase> MigratedAsync()
    {
        var database = new PostgresDatabase(await postgres.CreateDatabaseAsync());
        await database.MigrateAsync(Ct);
        return database;
    }

    private static async Task<Node> NodeAsync(PostgresDatabase database, string name = "node")
    {
        var changes = new StoreChanges();
        var leases = new PartitionLeases(
            database, name, new AppendSignals(), changes, TimeProvider.System, NullLogger<PartitionLeases>.Instance);
        await leases.StartAsync(Ct);
        return new Node(leases, changes);
    }

    /// <summary>The next change a node hears; the ceiling is for a broken build, not a latency claim.</summary>
    private static async Task<StoreChange> ReadAsync(StoreChanges changes)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(Takeover * 3);
        await using var next = changes.ReadAllAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        Assert.True(await next.MoveNextAsync(), "the changes ended");
        return next.Current;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string what = "")
    {
        var deadline = DateTime.UtcNow + Takeover;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {Takeover}: {what}");
            await Task.Delay(50, Ct);
        }
    }

    private sealed record Node(PartitionLeases Leases, StoreChanges Changes) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Leases.StopAsync(CancellationToken.None);
            Leases.Dispose();
        }
    }
}
