using Gateway.Delivery;
using Gateway.Subscriptions;

namespace Gateway.Timers;

/// <summary>The subscriptions this node delivers to, from the delivery engine every change goes through.</summary>
internal sealed class EngineTimerSubscriptions(DeliveryEngine engine) : ITimerSubscriptions
{
    public IEnumerable<Subscription> Timed => engine.Workers.Select(w => w.Subscription).Where(TimerConfig.IsTimer);

    public bool IsAccepting(string id) => engine.Find(id) is { IsAccepting: true };

    public Task WaitForChangeAsync(CancellationToken cancellationToken) => engine.WaitForChangeAsync(cancellationToken);
}
