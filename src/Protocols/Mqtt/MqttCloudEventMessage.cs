using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Json;
using Gateway.Protocols.Mqtt.Packets;

namespace Gateway.Protocols.Mqtt;

/// <summary>The MQTT protocol binding (§4.3): a CloudEvent as a PUBLISH.</summary>
public static class MqttCloudEventMessage
{
    /// <summary>
    /// MQTT 5 binary mode (MQTT-04): the Content Type property is <c>datacontenttype</c> (the implied
    /// <c>application/json</c> for JSON data without one), every other attribute a User Property with its bare name and
    /// canonical string; the payload is the data.
    /// </summary>
    public static MqttPublishPacket ToBinary(CloudEvent cloudEvent, string topic)
    {
        return new MqttPublishPacket(topic, 1, false, 0, cloudEvent.Data.Bytes)
        {
            ContentType = cloudEvent.DataContentType ?? (cloudEvent.Data.IsJson ? MediaTypes.Json : null),
            UserProperties = [.. cloudEvent.AttributesExceptDataContentType()],
        };
    }

    /// <summary>
    /// Structured mode: the JSON format as payload; in MQTT 5 with Content Type <c>application/cloudevents+json</c>
    /// (MQTT-05). MQTT 3.1.1 has no properties and is always structured (MQTT-02).
    /// </summary>
    public static MqttPublishPacket ToStructured(CloudEvent cloudEvent, string topic, MqttVersion version) =>
        new(topic, 1, false, 0, JsonEventFormat.ToUtf8Bytes(cloudEvent))
        {
            ContentType = version == MqttVersion.V500 ? MediaTypes.CloudEventsJson : null,
        };
}
