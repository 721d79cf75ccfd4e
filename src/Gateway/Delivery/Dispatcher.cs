using Gateway.Storage;

namespace Gateway.Delivery;

/// <summary>
/// Reads the event log in order from the checkpoint, hands each event to every matching subscription, and moves the
/// checkpoint past events whose deliveries are all finished. After a crash, delivery resumes at the checkpoint: an
/// event may be delivered twice, never lost.
/// </summary>
internal sealed class Dispatcher(IEventLog log, DeliveryEngine engine, TimeProvider time) : BackgroundService
{
    private const int BatchSize = 256;
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromMilliseconds(200);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var saved = await log.ReadCheckpointAsync(stoppingToken);
        var tracker = new CheckpointTracker(saved);
        var cursor = saved;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var batch = await log.ReadAsync(cursor, BatchSize, stoppingToken);
                foreach (var logged in batch)
                {
                    await DispatchAsync(logged, tracker.Begin(logged.Position), stoppingToken);
                    cursor = logged.Position;
                }

                saved = await SaveIfMovedAsync(tracker, saved, stoppingToken);
                if (batch.Count < BatchSize)
                {
                    await WaitForWorkAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            await SaveIfMovedAsync(tracker, saved, CancellationToken.None);
        }
    }

    private async Task DispatchAsync(LoggedEvent logged, EventTicket ticket, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var worker in engine.Match(logged.Event))
        {
            ticket.Hold();
            await worker.AcceptAsync(new DeliveryItem(logged.Event, ticket, now), cancellationToken);
        }

        ticket.Seal();
    }

    private async Task<long> SaveIfMovedAsync(CheckpointTracker tracker, long saved, CancellationToken cancellationToken)
    {
        var checkpoint = tracker.Checkpoint;
        if (checkpoint > saved)
        {
            await log.SaveCheckpointAsync(checkpoint, cancellationToken);
        }

        return Math.Max(checkpoint, saved);
    }

    /// <summary>Wakes on a new append, or after a short interval to move the checkpoint as deliveries finish.</summary>
    private async Task WaitForWorkAsync(CancellationToken stoppingToken)
    {
        using var interval = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        interval.CancelAfter(CheckpointInterval);
        try
        {
            await log.WaitForAppendAsync(interval.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The interval passed.
        }
    }
}
