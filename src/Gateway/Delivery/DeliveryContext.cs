using Gateway.Hosting;
using Gateway.Storage;

namespace Gateway.Delivery;

/// <summary>What every subscription worker shares: the stores, the log for replies, the protocols, the clock.</summary>
internal sealed class DeliveryContext(
    IDeliveryStore deliveries,
    IEventLog log,
    ISubscriptionStore subscriptions,
    ProtocolRegistry protocols,
    SinkPauses pauses,
    GatewayOptions options,
    TimeProvider time,
    ILoggerFactory loggers)
{
    public IDeliveryStore Deliveries => deliveries;

    public IEventLog Log => log;

    public ISubscriptionStore Subscriptions => subscriptions;

    public ProtocolRegistry Protocols => protocols;

    public SinkPauses Pauses => pauses;

    public TimeProvider Time => time;

    /// <summary>The most hops a reply chain may take (<c>gatewayhops</c>, default 16).</summary>
    public int HopLimit => options.HopLimit;

    public ILogger Logger { get; } = loggers.CreateLogger("Gateway.Delivery");
}
