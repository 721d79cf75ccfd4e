using Gateway.Storage;

namespace Gateway.Delivery;

/// <summary>
/// Runs one <see cref="PartitionDispatcher"/> for each partition of the event log this node owns, starting and
/// stopping them as ownership moves between nodes.
/// </summary>
internal sealed class Dispatcher(
    IEventLog log, ILogPartitions partitions, DeliveryEngine engine, TimeProvider time, ILogger<Dispatcher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new Dictionary<int, PartitionDispatcher>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var owned = partitions.Owned;
                foreach (var released in running.Keys.Where(p => !owned.Contains(p)).ToList())
                {
                    await running[released].StopAsync();
                    running.Remove(released);
                }

                foreach (var taken in owned.Where(p => !running.ContainsKey(p)))
                {
                    running[taken] = PartitionDispatcher.Start(taken, log, engine, time, logger, stoppingToken);
                }

                await partitions.WaitForChangeAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            await Task.WhenAll(running.Values.Select(d => d.StopAsync()));
        }
    }
}
