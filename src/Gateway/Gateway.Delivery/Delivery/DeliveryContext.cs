using Gateway.Storage;

namespace Gateway.Delivery;

/// <summary>What every subscription worker shares: the stores, the log for replies, the protocols, the clock.</summary>
internal sealed class DeliveryContext(
    IDeliveryStore deliveries,
    RetryStoreWriter parking,
    IEventLog log,
    ILogPartitions partitions,
    ISubscriptionStore subscriptions,
    ProtocolRegistry protocols,
    OriginPauses pauses,
    DeliveryOptions options,
    TimeProvider time,
    ILoggerFactory loggers)
{
    public IDeliveryStore Deliveries => deliveries;

    /// <summary>Where events go, in groups, when a subscription's queue is full.</summary>
    public RetryStoreWriter Parking => parking;

    public IEventLog Log => log;

    /// <summary>Which partitions, and so which subscriptions' retries, this node drives.</summary>
    public ILogPartitions Partitions => partitions;

    public ISubscriptionStore Subscriptions => subscriptions;

    public ProtocolRegistry Protocols => protocols;

    public OriginPauses Pauses => pauses;

    public TimeProvider Time => time;

    /// <summary>The most hops a reply chain may take (<c>gatewayhops</c>, default 16).</summary>
    public int HopLimit => options.HopLimit;

    public ILogger Logger { get; } = loggers.CreateLogger("Gateway.Delivery");
}
