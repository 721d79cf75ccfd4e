using Gateway.Protocols.Abstractions;
using NATS.Client.Core;
using Sdk = CloudNative.CloudEvents;

namespace Gateway.Protocols.Nats;

/// <summary>
/// The NATS binding for CNCF SDK events, named as the SDK names its bindings, for plugin authors. The JSON format is
/// the gateway's own (<see cref="NatsCloudEventMessage"/>): the SDK's does not forward every event unchanged.
/// </summary>
public static class NatsExtensions
{
    /// <summary>The CloudEvent a message carries (NATS-03, NATS-04); throws <see cref="ArgumentException"/> when it carries none.</summary>
    public static Sdk.CloudEvent ToCloudEvent(this NatsMsg<byte[]> message) =>
        (NatsCloudEventMessage.Decode(message.Headers, message.Data ?? [])
            ?? throw new ArgumentException("the message is not a CloudEvent", nameof(message))).ToSdkCloudEvent();

    /// <summary>Headers and payload for an event, binary or structured.</summary>
    public static (NatsHeaders Headers, ReadOnlyMemory<byte> Payload) ToNatsMessage(this Sdk.CloudEvent cloudEvent, Sdk.ContentMode contentMode)
    {
        var converted = SdkCloudEvents.FromSdkCloudEvent(cloudEvent);
        return contentMode switch
        {
            Sdk.ContentMode.Binary => NatsCloudEventMessage.ToBinary(converted),
            Sdk.ContentMode.Structured => NatsCloudEventMessage.ToStructured(converted),
            _ => throw new ArgumentException($"NATS has no content mode {contentMode}", nameof(contentMode)),
        };
    }
}
