using Gateway.Protocols.Abstractions;
using Gateway.Subscriptions;

namespace Gateway.Delivery;

/// <summary>
/// One version of a subscription with its senders. An update makes a new target; the old one is retired, which
/// stops its consent loop and disposes its senders.
/// </summary>
internal sealed class DeliveryTarget : IAsyncDisposable
{
    private readonly CancellationTokenSource _retired = new();

    public DeliveryTarget(ValidatedSubscription validated, ProtocolRegistry protocols)
    {
        var subscription = validated.Subscription;
        Validated = validated;
        Sender = Binding(protocols, subscription.Protocol).CreateSender(subscription.ToSinkSpec());
        DeadLetterSender = subscription.Delivery.DeadLetter is { } deadLetter
            ? Binding(protocols, deadLetter.Protocol).CreateSender(deadLetter.ToSinkSpec(subscription.Id))
            : null;
        Origin = OriginPauses.OriginOf(subscription.Sink);
        Slots = new SemaphoreSlim(subscription.Delivery.MaxInFlight, subscription.Delivery.MaxInFlight);
    }

    public ValidatedSubscription Validated { get; }

    public Subscription Subscription => Validated.Subscription;

    public DeliveryPolicy Policy => Validated.Subscription.Delivery;

    public IEventSender Sender { get; }

    /// <summary>The sender of <c>delivery.deadletter</c>, or null when dead letters stay in the store.</summary>
    public IEventSender? DeadLetterSender { get; }

    /// <summary>The sink's origin, for 429 pauses shared across subscriptions (WH-06).</summary>
    public string? Origin { get; }

    /// <summary><c>delivery.maxinflight</c> slots.</summary>
    public SemaphoreSlim Slots { get; }

    /// <summary>Completes when the sink granted consent (or needs none).</summary>
    public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Fires when a newer version replaced this one, or the subscription was deleted.</summary>
    public CancellationToken Retired => _retired.Token;

    public async ValueTask DisposeAsync()
    {
        await _retired.CancelAsync();
        await Sender.DisposeAsync();
        if (DeadLetterSender is not null)
        {
            await DeadLetterSender.DisposeAsync();
        }

        _retired.Dispose();
    }

    private static IProtocolBinding Binding(ProtocolRegistry protocols, string protocol) =>
        protocols.Find(protocol) ?? throw new InvalidOperationException($"no binding for {protocol}");
}
