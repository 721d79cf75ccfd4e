using Gateway.Storage;
using static Gateway.Tests.Storage.StoreData;

namespace Gateway.Tests.Storage;

/// <summary><see cref="IEventLog"/>, on partition 0: the one a single node owns (<see cref="SingleNodePartitions"/>).</summary>
public abstract partial class StoreContract
{
    private const int Partition = 0;

    /// <summary>How long an append may take to wake a waiting reader before the test fails rather than hangs.</summary>
    private static readonly TimeSpan WakeTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Log_Read_ReturnsAppendedEventsInOrderWithGrowingPositions()
    {
        var events = Events(6);
        await Stores.Log.AppendAsync(events[..2], Ct);
        await Stores.Log.AppendAsync(events[2..], Ct);

        var read = await Stores.Log.ReadAsync(Partition, 0, 100, Ct);

        Assert.Equal(events.Select(Json), read.Select(e => Json(e.Event)));
        AssertGrowing(read);
        Assert.True(read[0].Position > 0, "position 0 is the checkpoint of a log where nothing is finished");
    }

    [Fact]
    public async Task Log_Read_PagesWithAfterAndMax()
    {
        var events = Events(10);
        await Stores.Log.AppendAsync(events, Ct);
        var all = await Stores.Log.ReadAsync(Partition, 0, 100, Ct);

        var first = await Stores.Log.ReadAsync(Partition, 0, 4, Ct);
        var second = await Stores.Log.ReadAsync(Partition, first[^1].Position, 4, Ct);
        var third = await Stores.Log.ReadAsync(Partition, second[^1].Position, 4, Ct);
        var past = await Stores.Log.ReadAsync(Partition, third[^1].Position, 4, Ct);

        Assert.Equal(10, all.Count);
        Assert.Equal(Logged(all.Take(4)), Logged(first));
        Assert.Equal(Logged(all.Skip(4).Take(4)), Logged(second));
        Assert.Equal(Logged(all.Skip(8)), Logged(third));
        Assert.Empty(past);
        Assert.Equal(Logged(all.Skip(6).Take(3)), Logged(await Stores.Log.ReadAsync(Partition, all[5].Position, 3, Ct)));
    }

    [Fact]
    public async Task Log_Checkpoint_StartsAtZeroAndNeverMovesBack()
    {
        Assert.Equal(0, await Stores.Log.ReadCheckpointAsync(Partition, Ct));
        await Stores.Log.AppendAsync(Events(5), Ct);
        var read = await Stores.Log.ReadAsync(Partition, 0, 100, Ct);

        await Stores.Log.SaveCheckpointAsync(Partition, read[2].Position, Ct);
        Assert.Equal(read[2].Position, await Stores.Log.ReadCheckpointAsync(Partition, Ct));

        await Stores.Log.SaveCheckpointAsync(Partition, read[0].Position, Ct);
        Assert.Equal(read[2].Position, await Stores.Log.ReadCheckpointAsync(Partition, Ct));

        await Stores.Log.SaveCheckpointAsync(Partition, read[3].Position, Ct);
        Assert.Equal(read[3].Position, await Stores.Log.ReadCheckpointAsync(Partition, Ct));
    }

    [Fact]
    public async Task Log_Checkpoint_EventsAtOrBelowItArePruned()
    {
        var events = Events(5);
        await Stores.Log.AppendAsync(events, Ct);
        var read = await Stores.Log.ReadAsync(Partition, 0, 100, Ct);

        await Stores.Log.SaveCheckpointAsync(Partition, read[2].Position, Ct);

        // From the start of the log, not from the checkpoint, and from a reopened store: the events kept in memory
        // for the dispatcher may still answer for the running one (which never reads behind its checkpoint), but
        // the finished events are gone from the store.
        var after = await (await ReopenAsync()).Log.ReadAsync(Partition, 0, 100, Ct);
        Assert.Equal(events[3..].Select(Json), after.Select(e => Json(e.Event)));
        Assert.Equal(read.Skip(3).Select(e => e.Position), after.Select(e => e.Position));
    }

    [Fact]
    public async Task Log_Positions_KeepGrowingAfterTheLogWasPrunedToEmpty()
    {
        await Stores.Log.AppendAsync(Events(3), Ct);
        var read = await Stores.Log.ReadAsync(Partition, 0, 100, Ct);
        await Stores.Log.SaveCheckpointAsync(Partition, read[^1].Position, Ct);

        // After a restart too: nothing in memory remembers the last position then.
        var reopened = await ReopenAsync();
        Assert.Empty(await reopened.Log.ReadAsync(Partition, 0, 100, Ct));
        var later = Event("e-later");
        await reopened.Log.AppendAsync([later], Ct);

        var after = Assert.Single(await reopened.Log.ReadAsync(Partition, read[^1].Position, 100, Ct));
        Assert.True(after.Position > read[^1].Position, $"position {after.Position} reuses one at or below {read[^1].Position}");
        Assert.Equal(Json(later), Json(after.Event));
    }

    [Fact]
    public async Task Log_ConcurrentAppends_AllLandExactlyOnceWithEachBatchInOrder()
    {
        const int Appenders = 32;
        const int PerAppend = 5;
        var batches = Enumerable.Range(0, Appenders).Select(a => Events(PerAppend, $"t{a}")).ToArray();

        await Task.WhenAll(batches.Select(batch => Task.Run(async () => await Stores.Log.AppendAsync(batch, Ct), Ct)));

        var read = await Stores.Log.ReadAsync(Partition, 0, 10_000, Ct);
        Assert.Equal(Appenders * PerAppend, read.Count);
        AssertGrowing(read);
        Assert.Equal(batches.SelectMany(b => b).Select(e => e.Id).Order(), read.Select(e => e.Event.Id).Order());
        foreach (var batch in batches)
        {
            var ids = batch.Select(e => e.Id).ToHashSet();
            Assert.Equal(batch.Select(Json), read.Where(e => ids.Contains(e.Event.Id)).Select(e => Json(e.Event)));
        }
    }

    [Fact]
    public async Task Log_WaitForAppend_CompletesWhenAnAppendCommits()
    {
        var wait = Stores.Log.WaitForAppendAsync(Partition, Ct);
        Assert.False(wait.IsCompleted, "nothing was appended yet");

        await Stores.Log.AppendAsync([Event("e-1")], Ct);

        await wait.WaitAsync(WakeTimeout, Ct);
    }

    [Fact]
    public async Task Log_WaitForAppend_CompletesForAnAppendBeforeTheCall()
    {
        // The dispatcher reads, finds nothing, then waits: an append between the two must not be slept through.
        await Stores.Log.AppendAsync([Event("e-1")], Ct);

        await Stores.Log.WaitForAppendAsync(Partition, Ct).WaitAsync(WakeTimeout, Ct);
    }

    [Fact]
    public async Task Log_WaitForAppend_WaitsAgainOnceAnAppendWasSeen()
    {
        await Stores.Log.AppendAsync([Event("e-1")], Ct);
        await Stores.Log.WaitForAppendAsync(Partition, Ct).WaitAsync(WakeTimeout, Ct);

        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var wait = Stores.Log.WaitForAppendAsync(Partition, quiet.Token);
        await Task.Delay(TimeSpan.FromMilliseconds(300), Ct);

        Assert.False(wait.IsCompleted, "no append was committed since the last call");
        await quiet.CancelAsync();
        try
        {
            await wait.WaitAsync(WakeTimeout, Ct);
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            // The token fired: how a wait ends without an append.
        }
    }

    [Fact]
    public async Task Log_Reopened_SeesTheEventsAndTheCheckpoint()
    {
        var events = Events(4);
        await Stores.Log.AppendAsync(events, Ct);
        var read = await Stores.Log.ReadAsync(Partition, 0, 100, Ct);
        await Stores.Log.SaveCheckpointAsync(Partition, read[0].Position, Ct);

        var reopened = await ReopenAsync();

        Assert.Equal(read[0].Position, await reopened.Log.ReadCheckpointAsync(Partition, Ct));
        var again = await reopened.Log.ReadAsync(Partition, read[0].Position, 100, Ct);
        Assert.Equal(read.Skip(1).Select(e => e.Position), again.Select(e => e.Position));
        Assert.Equal(events[1..].Select(Json), again.Select(e => Json(e.Event)));
    }

    /// <summary>Positions and events as comparable values (a store may hand out new event instances on every read).</summary>
    private static List<(long Position, string Event)> Logged(IEnumerable<LoggedEvent> read) =>
        [.. read.Select(e => (e.Position, Json(e.Event)))];

    private static void AssertGrowing(IReadOnlyList<LoggedEvent> read)
    {
        for (var i = 1; i < read.Count; i++)
        {
            Assert.True(read[i].Position > read[i - 1].Position, $"position {read[i].Position} follows {read[i - 1].Position}");
        }
    }
}
