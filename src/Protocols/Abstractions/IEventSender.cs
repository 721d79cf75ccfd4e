using Gateway.Protocols.CloudEvents;

namespace Gateway.Protocols.Abstractions;

/// <summary>Delivers events to one subscription's sink.</summary>
public interface IEventSender : IAsyncDisposable
{
    /// <summary>
    /// Asks the sink for consent before the first delivery, where the protocol has such a step (the webhook OPTIONS
    /// handshake, WH-13). Protocols without one answer <see cref="SinkValidation.NotRequired"/>.
    /// </summary>
    ValueTask<SinkValidation> ValidateSinkAsync(CancellationToken cancellationToken);

    /// <summary>Delivers one event and reports what happened; never throws for a failure of the sink.</summary>
    ValueTask<DeliveryResult> SendAsync(CloudEvent cloudEvent, CancellationToken cancellationToken);
}
