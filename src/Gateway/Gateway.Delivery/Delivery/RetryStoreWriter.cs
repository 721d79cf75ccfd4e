using System.Threading.Channels;
using Gateway.Storage;

namespace Gateway.Delivery;

/// <summary>
/// Parks events in the retry store in groups: when a subscription's queue is full, its events go here, and one
/// writer stores everything waiting in one transaction. The dispatcher does not wait for the commit (it goes on with
/// the next event); each event's ticket is released only once its row is committed, so the checkpoint never passes
/// an event that is neither delivered nor stored. Parking one event per commit made a slow sink cost an fsync per
/// event (BENCHMARKS.md).
/// </summary>
internal sealed partial class RetryStoreWriter : IAsyncDisposable
{
    private const int MaxPerCommit = 512;
    private static readonly TimeSpan FailurePause = TimeSpan.FromSeconds(1);

    private readonly Channel<ParkedEvent> _waiting = Channel.CreateBounded<ParkedEvent>(
        new BoundedChannelOptions(8192) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly IDeliveryStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<RetryStoreWriter> _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _writer;

    public RetryStoreWriter(IDeliveryStore store, TimeProvider time, ILogger<RetryStoreWriter> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync, CancellationToken.None);
    }

    /// <summary>
    /// Queues an event for the retry store; returns once it is queued, not stored. <paramref name="parked"/> runs
    /// after the commit (the worker wakes its retry pump).
    /// </summary>
    public ValueTask ParkAsync(RetryEntry entry, EventTicket ticket, Action parked, CancellationToken cancellationToken) =>
        _waiting.Writer.WriteAsync(new ParkedEvent(entry, ticket, parked), cancellationToken);

    /// <summary>
    /// Completes once everything queued before the call is stored, so a deleted subscription's retries can be
    /// removed after its last parked events landed, not before.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _waiting.Writer.WriteAsync(new ParkedEvent(null, null, flushed.SetResult), cancellationToken);
        await flushed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stores what is queued, then stops. Events it could not store stay behind the checkpoint.</summary>
    public async ValueTask DisposeAsync()
    {
        _waiting.Writer.TryComplete();
        _stop.CancelAfter(TimeSpan.FromSeconds(5));
        await _writer;
        _stop.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        var group = new List<ParkedEvent>(MaxPerCommit);
        try
        {
            while (await _waiting.Reader.WaitToReadAsync(_stop.Token))
            {
                group.Clear();
                while (group.Count < MaxPerCommit && _waiting.Reader.TryRead(out var parked))
                {
                    group.Add(parked);
                }

                await StoreAsync([.. group.Select(p => p.Entry).OfType<RetryEntry>()]);
                foreach (var parked in group)
                {
                    parked.Ticket?.Release();
                    parked.Parked();
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Shutting down with the store failing: the events are redelivered from the log after the restart.
        }
    }

    /// <summary>Stores a group, trying again after a failure: its events must not be dropped, nor passed.</summary>
    private async Task StoreAsync(List<RetryEntry> entries)
    {
        while (entries.Count > 0)
        {
            try
            {
                await _store.AddRetriesAsync(entries, _stop.Token);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.NotParked(_logger, entries.Count, ex);
                await Task.Delay(FailurePause, _time, _stop.Token);
            }
        }
    }

    /// <summary>An event to park, or (without entry and ticket) a flush marker.</summary>
    private sealed record ParkedEvent(RetryEntry? Entry, EventTicket? Ticket, Action Parked);

    private static partial class Log
    {
        [LoggerMessage(70, LogLevel.Warning, "{Count} events could not be parked in the retry store; trying again")]
        public static partial void NotParked(ILogger logger, int count, Exception exception);
    }
}
