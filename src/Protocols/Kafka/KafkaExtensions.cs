using Gateway.Protocols.Abstractions;
using Sdk = CloudNative.CloudEvents;

namespace Gateway.Protocols.Kafka;

/// <summary>
/// The Kafka binding in the shape and names of the CNCF SDK's CloudNative.CloudEvents.Kafka (not served here), for
/// plugin authors, over <see cref="KafkaRecord"/>. The JSON format is the gateway's own (<see cref="KafkaCloudEventMessage"/>):
/// the SDK's does not forward every event unchanged (SdkFidelityTests).
/// </summary>
public static class KafkaExtensions
{
    /// <summary>The CloudEvent a record carries, structured (KAFKA-03) or binary (KAFKA-05).</summary>
    public static Sdk.CloudEvent ToCloudEvent(this KafkaRecord record) => KafkaCloudEventMessage.Decode(record).ToSdkCloudEvent();

    /// <summary>The record for an event, binary or structured; with <paramref name="partitionKeyAsKey"/>, its <c>partitionkey</c> as the key.</summary>
    public static KafkaRecord ToKafkaMessage(this Sdk.CloudEvent cloudEvent, Sdk.ContentMode contentMode, bool partitionKeyAsKey = true) =>
        contentMode is Sdk.ContentMode.Binary or Sdk.ContentMode.Structured
            ? KafkaCloudEventMessage.Encode(SdkCloudEvents.FromSdkCloudEvent(cloudEvent), contentMode == Sdk.ContentMode.Structured, partitionKeyAsKey)
            : throw new ArgumentException($"Kafka has no content mode {contentMode}", nameof(contentMode));
}
