using System.Text.Json;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Http;
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

    /// <summary>
    /// Reads a received PUBLISH (for sources). Null when the message does not claim to be a CloudEvent; throws
    /// <see cref="CloudEventFormatException"/> when it claims to be one and is not valid.
    /// </summary>
    public static CloudEvent? Decode(MqttPublishPacket message, MqttVersion version)
    {
        if (version == MqttVersion.V311)
        {
            // MQTT-02: 3.1.1 is always structured, the JSON format without a content type to say so; a payload claims
            // to be a CloudEvent when it is a JSON object with a specversion member.
            return HasSpecVersionMember(message.Payload.Span) ? JsonEventFormat.Parse(message.Payload.Span) : null;
        }

        if (MediaTypes.HasPrefix(message.ContentType, "application/cloudevents"))
        {
            // MQTT-03, MQTT-05: structured; MQTT-01: no batches, and the JSON format is the one this gateway reads.
            return HttpBinding.DetectMode(message.ContentType) == HttpContentMode.Structured && HttpBinding.IsJsonFormat(message.ContentType!)
                ? JsonEventFormat.Parse(message.Payload.Span)
                : throw new CloudEventFormatException("Content Type", $"'{message.ContentType}' is not the JSON format of a single event (MQTT-01)");
        }

        return message.UserProperties.Any(p => p.Key == CloudEventAttributes.SpecVersion) ? DecodeBinary(message) : null;
    }

    /// <summary>
    /// MQTT-04: the Content Type property is <c>datacontenttype</c> (preferred to a <c>datacontenttype</c> User Property,
    /// the spec's DECISION), User Properties named like attributes are the attributes, and the payload is the data.
    /// User Properties whose names no attribute can have are the application's own and are left out.
    /// </summary>
    private static CloudEvent DecodeBinary(MqttPublishPacket message)
    {
        var errors = new List<CloudEventError>();
        var builder = new CloudEventBuilder(errors);
        string? contentTypeProperty = null;
        foreach (var (name, value) in message.UserProperties)
        {
            if (name == CloudEventAttributes.DataContentType)
            {
                contentTypeProperty ??= value;
            }
            else if (CloudEventAttributes.IsValidName(name))
            {
                builder.Set(name, value);
            }
        }

        var contentType = message.ContentType ?? contentTypeProperty;
        builder.Set(CloudEventAttributes.DataContentType, contentType);
        if (!message.Payload.IsEmpty)
        {
            builder.SetData(CloudEventData.FromPayload(message.Payload, contentType));
        }

        return builder.TryBuild() ?? throw new CloudEventFormatException(errors);
    }

    private static bool HasSpecVersionMember(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("specversion"u8))
                {
                    return true;
                }

                reader.Read();
                reader.Skip();
            }

            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
