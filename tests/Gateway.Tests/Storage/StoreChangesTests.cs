using Gateway.Storage.Postgres;

namespace Gateway.Tests.Storage;

/// <summary>The bounded queue of changes other nodes made: a change that finds it full still has its effect.</summary>
public sealed class StoreChangesTests
{
    [Fact]
    public async Task ChangesBeyondTheQueue_BecomeOneComparisonOfEverything_AfterTheQueuedOnes()
    {
        var changes = new StoreChanges();
        for (var i = 0; i < 5000; i++)
        {
            changes.SubscriptionChanged($"s{i}");
        }

        var heard = new List<StoreChange>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var change in changes.ReadAllAsync(timeout.Token))
        {
            heard.Add(change);
            if (change is StoreChange.AllSources)
            {
                break;
            }
        }

        Assert.Equal(4096, heard.Count(c => c is StoreChange.Subscription));
        Assert.Equal(new StoreChange.Subscription("s0"), heard[0]);
        Assert.Equal(
            [new StoreChange.AllSubscriptions(), new StoreChange.Services(), new StoreChange.AllSources()],
            heard[^3..]);
    }

    [Fact]
    public async Task WithinTheQueue_EveryChangeIsHeardInOrder_AndNothingMore()
    {
        var changes = new StoreChanges();
        changes.SubscriptionChanged("a");
        changes.SourceChanged("b");
        changes.ServicesChanged();

        var heard = new List<StoreChange>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        try
        {
            await foreach (var change in changes.ReadAllAsync(timeout.Token))
            {
                heard.Add(change);
            }
        }
        catch (OperationCanceledException)
        {
            // Nothing more came: the queue waits for the next change.
        }

        Assert.Equal([new StoreChange.Subscription("a"), new StoreChange.Source("b"), new StoreChange.Services()], heard);
    }
}
