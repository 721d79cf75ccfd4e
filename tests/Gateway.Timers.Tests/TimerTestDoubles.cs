using System.Threading.Channels;
using Gateway.Protocols.CloudEvents;
using Gateway.Storage;
using Gateway.Subscriptions;
using Gateway.Timers;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Timers.Tests;

/// <summary>Live subscriptions the test changes at will; it can wait until the service has read a change.</summary>
internal sealed class FakeTimerSubscriptions : ITimerSubscriptions
{
    private readonly Lock _lock = new();
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private List<Subscription> _subscriptions = [];
    private TaskCompletionSource _read = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly HashSet<string> _paused = [];

    public IEnumerable<Subscription> Timed
    {
        get
        {
            lock (_lock)
            {
                _read.TrySetResult();
                return [.. _subscriptions];
            }
        }
    }

    public bool IsAccepting(string id)
    {
        lock (_lock)
        {
            return _subscriptions.Exists(s => s.Id == id) && !_paused.Contains(id);
        }
    }

    public Task WaitForChangeAsync(CancellationToken cancellationToken) => _changed.Reader.ReadAsync(cancellationToken).AsTask();

    /// <summary>Pauses or resumes a subscription, which, like the worker's, changes no document and signals nothing.</summary>
    public void SetPaused(string id, bool paused)
    {
        lock (_lock)
        {
            _ = paused ? _paused.Add(id) : _paused.Remove(id);
        }
    }

    /// <summary>Replaces the live subscriptions, as a create, update or delete does.</summary>
    public void Set(params Subscription[] subscriptions)
    {
        lock (_lock)
        {
            _subscriptions = [.. subscriptions];
            _read = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        _changed.Writer.TryWrite(true);
    }

    /// <summary>Forgets earlier reads, so that <see cref="WaitForReadAsync"/> waits for a new service's first.</summary>
    public void ForgetReads()
    {
        lock (_lock)
        {
            _read = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Completes once the service has read the subscriptions as last <see cref="Set"/>.</summary>
    public Task WaitForReadAsync()
    {
        lock (_lock)
        {
            return _read.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}

/// <summary>An event log that only records appends, one batch per commit.</summary>
internal sealed class RecordingEventLog : IEventLog
{
    private readonly Channel<IReadOnlyList<CloudEvent>> _batches = Channel.CreateUnbounded<IReadOnlyList<CloudEvent>>();
    private readonly TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int FailuresToCome { get; set; }

    /// <summary>Completes once an append has failed.</summary>
    public Task Failed => _failed.Task.WaitAsync(TimeSpan.FromSeconds(10));

    public ValueTask AppendAsync(IReadOnlyList<CloudEvent> events, CancellationToken cancellationToken)
    {
        if (FailuresToCome > 0)
        {
            FailuresToCome--;
            _failed.TrySetResult();
            throw new IOException("the store is away");
        }

        _batches.Writer.TryWrite([.. events]);
        return ValueTask.CompletedTask;
    }

    /// <summary>The next committed batch; fails the test after ten seconds of real time.</summary>
    public async Task<IReadOnlyList<CloudEvent>> NextBatchAsync() =>
        await _batches.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    public bool HasMore => _batches.Reader.Count > 0;

    public Task<IReadOnlyList<LoggedEvent>> ReadAsync(int partition, long after, int max, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<long> ReadCheckpointAsync(int partition, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task SaveCheckpointAsync(int partition, long position, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task WaitForAppendAsync(int partition, CancellationToken cancellationToken) => throw new NotSupportedException();
}

/// <summary>Partition ownership the test moves between nodes by hand.</summary>
internal sealed class MovablePartitions : ILogPartitions
{
    private readonly HashSet<string> _elsewhere = [];

    public IReadOnlyCollection<int> Owned { get; } = [0];

    public bool Owns(string subscriptionId)
    {
        lock (_elsewhere)
        {
            return !_elsewhere.Contains(subscriptionId);
        }
    }

    /// <summary>Another node (false) or this one (true) drives the subscription's retries from now on.</summary>
    public void Move(string subscriptionId, bool here)
    {
        lock (_elsewhere)
        {
            _ = here ? _elsewhere.Remove(subscriptionId) : _elsewhere.Add(subscriptionId);
        }
    }

    public Task WaitForChangeAsync(CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);
}

/// <summary>
/// A virtual clock that tells when a timer was created. <see cref="FakeTimeProvider.Advance(TimeSpan)"/> wakes the
/// timers it finds due; one created on another thread while it runs can be missed, so the test advances by zero
/// after each creation to wake it (<see cref="AdvanceUntilAsync"/>).
/// </summary>
internal sealed class NudgedClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Channel<bool> _created = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _created.Writer.TryWrite(true);
        return timer;
    }

    /// <summary>Advances by <paramref name="delta"/>, then wakes late-created timers until <paramref name="outcome"/> completes.</summary>
    public async Task AdvanceUntilAsync(TimeSpan delta, Task outcome)
    {
        Advance(delta);
        using var done = new CancellationTokenSource();
        try
        {
            while (!outcome.IsCompleted)
            {
                await Task.WhenAny(outcome, _created.Reader.ReadAsync(done.Token).AsTask());
                Advance(TimeSpan.Zero);
            }
        }
        finally
        {
            await done.CancelAsync();
        }

        await outcome;
    }
}
