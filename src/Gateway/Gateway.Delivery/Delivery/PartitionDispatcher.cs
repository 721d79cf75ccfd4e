using Gateway.Storage;

namespace Gateway.Delivery;

/// <summary>
/// Dispatches one partition of the event log: reads it in order from its checkpoint, hands each event to every
/// matching subscription, and moves the checkpoint past events whose deliveries are all finished. After a crash, or
/// when another node takes the partition over, delivery resumes at the checkpoint: an event may be delivered twice,
/// never lost.
/// </summary>
internal sealed partial class PartitionDispatcher
{
    private const int BatchSize = 256;
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ErrorPause = TimeSpan.FromSeconds(1);

    private readonly int _partition;
    private readonly IEventLog _log;
    private readonly DeliveryEngine _engine;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop;
    private readonly Task _run;

    private PartitionDispatcher(int partition, IEventLog log, DeliveryEngine engine, TimeProvider time, ILogger logger, CancellationToken stoppingToken)
    {
        _partition = partition;
        _log = log;
        _engine = engine;
        _time = time;
        _logger = logger;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _run = Task.Run(RunAsync, CancellationToken.None);
    }

    public static PartitionDispatcher Start(
        int partition, IEventLog log, DeliveryEngine engine, TimeProvider time, ILogger logger, CancellationToken stoppingToken) =>
        new(partition, log, engine, time, logger, stoppingToken);

    /// <summary>
    /// Stops reading (the partition was released, or the node stops) and saves how far it got. Deliveries already
    /// handed out go on; the checkpoint does not pass them, so a new owner may deliver them again.
    /// </summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var saved = await ReadCheckpointAsync();
        if (saved is null)
        {
            return;
        }

        var tracker = new CheckpointTracker(saved.Value);
        var cursor = saved.Value;
        var lastSave = _time.GetUtcNow();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    var batch = await _log.ReadAsync(_partition, cursor, BatchSize, _stop.Token);
                    foreach (var logged in batch)
                    {
                        await DispatchAsync(logged, tracker.Begin(logged.Position), _stop.Token);
                        cursor = logged.Position;
                    }

                    // At most one checkpoint write per interval: each is a commit of its own (an fsync with SQLite),
                    // and saving after every batch doubled the commits of a busy gateway. A crash repeats at most
                    // one interval's worth of finished events.
                    if (_time.GetUtcNow() - lastSave >= CheckpointInterval)
                    {
                        saved = await SaveIfMovedAsync(tracker, saved.Value, _stop.Token);
                        lastSave = _time.GetUtcNow();
                    }

                    if (batch.Count < BatchSize)
                    {
                        await WaitForWorkAsync();
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A store that is briefly unreachable (a PostgreSQL failover) must not end dispatching: what was
                    // not read is read again, what was not saved is saved later.
                    Log.Failed(_logger, _partition, ex);
                    await Task.Delay(ErrorPause, _time, _stop.Token);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await SaveOnStopAsync(tracker, saved.Value);
        }
    }

    private async Task<long?> ReadCheckpointAsync()
    {
        try
        {
            while (true)
            {
                try
                {
                    return await _log.ReadCheckpointAsync(_partition, _stop.Token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.Failed(_logger, _partition, ex);
                    await Task.Delay(ErrorPause, _time, _stop.Token);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return null;
        }
    }

    private async Task DispatchAsync(LoggedEvent logged, EventTicket ticket, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var (cloudEvent, workers) = _engine.Route(logged.Event);
        foreach (var worker in workers)
        {
            ticket.Hold();
            await worker.AcceptAsync(new DeliveryItem(cloudEvent, ticket, now), cancellationToken);
        }

        ticket.Seal();
    }

    private async Task<long> SaveIfMovedAsync(CheckpointTracker tracker, long saved, CancellationToken cancellationToken)
    {
        var checkpoint = tracker.Checkpoint;
        if (checkpoint > saved)
        {
            await _log.SaveCheckpointAsync(_partition, checkpoint, cancellationToken);
        }

        return Math.Max(checkpoint, saved);
    }

    private async Task SaveOnStopAsync(CheckpointTracker tracker, long saved)
    {
        try
        {
            await SaveIfMovedAsync(tracker, saved, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Not saved: the next owner starts further back and delivers some events again.
            Log.Failed(_logger, _partition, ex);
        }
    }

    /// <summary>Wakes on a new append, or after a short interval to move the checkpoint as deliveries finish.</summary>
    private async Task WaitForWorkAsync()
    {
        using var interval = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        interval.CancelAfter(CheckpointInterval);
        try
        {
            await _log.WaitForAppendAsync(_partition, interval.Token);
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            // The interval passed.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(30, LogLevel.Warning, "Dispatching partition {Partition} of the event log failed; trying again")]
        public static partial void Failed(ILogger logger, int partition, Exception exception);
    }
}
