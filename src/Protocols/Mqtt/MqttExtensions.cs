using Gateway.Protocols.Abstractions;
using MQTTnet;
using Sdk = CloudNative.CloudEvents;

namespace Gateway.Protocols.Mqtt;

/// <summary>
/// The MQTT binding in the shape and names of the CNCF SDK's CloudNative.CloudEvents.Mqtt (not served here), for plugin
/// authors. One deviation: the JSON format is the gateway's own (<see cref="MqttCloudEventMessage"/>), not a formatter
/// passed in, because the SDK's does not forward every event unchanged (SdkFidelityTests).
/// </summary>
public static class MqttExtensions
{
    /// <summary>The CloudEvent a message carries (MQTT-02 to MQTT-05); throws <see cref="ArgumentException"/> when it carries none.</summary>
    public static Sdk.CloudEvent ToCloudEvent(this MqttApplicationMessage message, MqttVersion version) =>
        (MqttCloudEventMessage.Decode(message, version)
            ?? throw new ArgumentException("the message is not a CloudEvent", nameof(message))).ToSdkCloudEvent();

    /// <summary>The message for an event: binary (MQTT 5 only) or structured, at QoS 1.</summary>
    public static MqttApplicationMessage ToMqttApplicationMessage(
        this Sdk.CloudEvent cloudEvent, Sdk.ContentMode contentMode, string topic, MqttVersion version)
    {
        var converted = SdkCloudEvents.FromSdkCloudEvent(cloudEvent);
        return contentMode switch
        {
            Sdk.ContentMode.Binary when version == MqttVersion.V500 => MqttCloudEventMessage.ToBinary(converted, topic),
            Sdk.ContentMode.Structured => MqttCloudEventMessage.ToStructured(converted, topic, version),
            _ => throw new ArgumentException($"MQTT {(version == MqttVersion.V500 ? "5" : "3.1.1")} has no {contentMode} mode (MQTT-02)", nameof(contentMode)),
        };
    }
}
