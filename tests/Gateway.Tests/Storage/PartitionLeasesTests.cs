using System.Runtime.CompilerServices;
using Gateway.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
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
    public async Task ASubscriptionChangeOnOneNode_IsHeardByTheOther()
    {
        await using var database = await MigratedAsync();
        await using var listener = await NodeAsync(database);
        await WaitUntilAsync(() => listener.Leases.Owned.Count > 0);
        await DrainAsync(listener.Changes);

        await new PostgresSubscriptionStore(database).AddAsync(Subscription("sub-heard"), Ct);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        Assert.Equal(new StoreChange.Subscription("sub-heard"), await listener.Changes.Reader.ReadAsync(timeout.Token));
    }

    private async Task<PostgresDatabase> MigratedAsync()
    {
        var database = new PostgresDatabase(await postgres.CreateDatabaseAsync());
        await database.MigrateAsync(Ct);
        return database;
    }

    private static async Task<Node> NodeAsync(PostgresDatabase database)
    {
        var changes = new StoreChanges();
        var leases = new PartitionLeases(database, new AppendSignals(), changes, TimeProvider.System, NullLogger<PartitionLeases>.Instance);
        await leases.StartAsync(Ct);
        return new Node(leases, changes);
    }

    /// <summary>What a node hears on joining (a "compare everything"), so a test sees only what comes after.</summary>
    private static async Task DrainAsync(StoreChanges changes)
    {
        await Task.Delay(200, Ct);
        while (changes.Reader.TryRead(out _))
        {
        }
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
