using Gateway.Subscriptions;

namespace Gateway.Storage.Postgres;

/// <summary>Applies subscription changes made on other nodes to this node's delivery (design.md: within a second).</summary>
internal sealed partial class SubscriptionSync(
    SubscriptionChanges changes, ISubscriptionStore store, SubscriptionManager manager, ILogger<SubscriptionSync> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var id in changes.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await (id is null ? ReloadAllAsync(stoppingToken) : manager.ReloadAsync(id, stoppingToken));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Left as it was; the next reconnect of the listener compares everything again.
                    Log.NotReloaded(logger, id ?? "*", ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task ReloadAllAsync(CancellationToken cancellationToken)
    {
        var stored = (await store.ListAsync(cancellationToken)).Select(s => s.Subscription.Id);
        foreach (var id in stored.Union(manager.LiveIds, StringComparer.Ordinal).ToList())
        {
            await manager.ReloadAsync(id, cancellationToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(40, LogLevel.Warning, "Subscription {SubscriptionId} could not be reloaded after a change on another node")]
        public static partial void NotReloaded(ILogger logger, string subscriptionId, Exception exception);
    }
}
