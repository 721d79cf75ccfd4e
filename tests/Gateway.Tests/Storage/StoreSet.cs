using Gateway.Storage;

namespace Gateway.Tests.Storage;

/// <summary>The five stores opened on one storage (a SQLite file, a PostgreSQL database), as one gateway node has them.</summary>
internal sealed class StoreSet(
    ISubscriptionStore subscriptions,
    IEventLog log,
    IDeliveryStore deliveries,
    IDiscoveryStore discovery,
    ISourceStore sources,
    Func<ValueTask> close)
{
    private Func<ValueTask>? _close = close;

    public ISubscriptionStore Subscriptions { get; } = subscriptions;

    public IEventLog Log { get; } = log;

    public IDeliveryStore Deliveries { get; } = deliveries;

    public IDiscoveryStore Discovery { get; } = discovery;

    public ISourceStore Sources { get; } = sources;

    /// <summary>
    /// Releases what the stores hold (the log's writer, connection pools), leaving the storage. Safe to call twice:
    /// a test closes a set early to reopen the storage as a restarted node would, and the test's cleanup closes it again.
    /// </summary>
    public async ValueTask CloseAsync()
    {
        if (Interlocked.Exchange(ref _close, null) is { } close)
        {
            await close();
        }
    }
}
