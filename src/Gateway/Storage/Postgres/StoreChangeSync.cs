using Gateway.Discovery;
using Gateway.Sources;
using Gateway.Subscriptions;

namespace Gateway.Storage.Postgres;

/// <summary>
/// Applies changes made on other nodes to this node: subscriptions to its delivery (design.md: within a second),
/// registered services to its Discovery catalog, event sources to what it runs.
/// </summary>
internal sealed partial class StoreChangeSync(
    StoreChanges changes,
    ISubscriptionStore store,
    ISourceStore sourceStore,
    SubscriptionManager subscriptions,
    ServiceCatalog services,
    SourceManager sources,
    ILogger<StoreChangeSync> logger)
    : BackgroundService
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var change in changes.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await ApplyAsync(change, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The store did not answer: try the change again shortly, so this node does not go on with a
                    // deleted subscription or without a new one.
                    Log.NotApplied(logger, change.ToString(), ex);
                    await Task.Delay(RetryPause, stoppingToken);
                    changes.Requeue(change);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task ApplyAsync(StoreChange change, CancellationToken cancellationToken)
    {
        switch (change)
        {
            case StoreChange.Subscription(var id):
                await subscriptions.ReloadAsync(id, cancellationToken);
                break;
            case StoreChange.AllSubscriptions:
                var stored = (await store.ListAsync(cancellationToken)).Select(s => s.Subscription.Id);
                foreach (var id in stored.Union(subscriptions.LiveIds, StringComparer.Ordinal).ToList())
                {
                    await subscriptions.ReloadAsync(id, cancellationToken);
                }

                break;
            case StoreChange.Services:
                await services.ReloadAsync(cancellationToken);
                break;
            case StoreChange.Source(var id):
                await sources.ReloadAsync(id, cancellationToken);
                break;
            case StoreChange.AllSources:
                var storedSources = (await sourceStore.ListAsync(cancellationToken)).Select(s => s.Id);
                foreach (var id in storedSources.Union(sources.Ids, StringComparer.Ordinal).ToList())
                {
                    await sources.ReloadAsync(id, cancellationToken);
                }

                break;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(40, LogLevel.Warning, "A change made on another node could not be applied here: {Change}")]
        public static partial void NotApplied(ILogger logger, string change, Exception exception);
    }
}
