using System.Buffers;
using System.Text;
using System.Text.Json;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Http;
using Gateway.Protocols.CloudEvents.Json;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Gateway.Protocols.Mqtt;

/// <summary>The MQTT protocol binding (§4.3): a CloudEvent as an MQTTnet application message (QoS 1 unless changed).</summary>
public static class MqttCloudEventMessage
{
    /// <summary>
    /// MQTT 5 binary mode (MQTT-04): the Content Type property is <c>datacontenttype</c> (the implied
    /// <c>application/json</c> for JSON data without one), every other attribute a User Property with its bare name and
    /// canonical string; the payload is the data.
    /// </summary>
    public static MqttApplicationMessage ToBinary(CloudEvent cloudEvent, string topic) =>
        new()
        {
            Topic = topic,
            QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
            Payload = new ReadOnlySequence<byte>(cloudEvent.Data.Bytes),
            ContentType = cloudEvent.DataContentType ?? (cloudEvent.Data.IsJson ? MediaTypes.Json : null),
            UserProperties = [.. cloudEvent.AttributesExceptDataContentType().Select(a => new MqttUserProperty(a.Key, Encoding.UTF8.GetBytes(a.Value).AsMemory()))],
        };

    /// <summary>
    /// Structured mode: the JSON format as payload; in MQTT 5 with Content Type <c>application/cloudevents+json</c>
    /// (MQTT-05). MQTT 3.1.1 has no properties and is always structured (MQTT-02).
    /// </summary>
    public static MqttApplicationMessage ToStructured(CloudEvent cloudEvent, string topic, MqttVersion version) =>
        new()
        {
            Topic = topic,
            QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
            Payload = new ReadOnlySequence<byte>(JsonEventFormat.ToUtf8Bytes(cloudEvent)),
            ContentType = version == MqttVersion.V500 ? MediaTypes.CloudEventsJson : null,
        };

    /// <summary>
    /// Reads a received PUBLISH (for sources). Null when the message does not claim to be a CloudEvent; throws
    /// <see cref="CloudEventFormatException"/> when it claims to be one and is not valid.
    /// </summary>
    public static CloudEvent? Decode(MqttApplicationMessage message, MqttVersion version)
    {
        var payload = message.Payload.IsEmpty ? ReadOnlyMemory<byte>.Empty : message.Payload.ToArray();
        if (version == MqttVersion.V311)
        {
            // MQTT-02: 3.1.1 is always structured, the JSON format without a content type to say so; a payload claims
            // to be a CloudEvent when it is a JSON object with a specversion member.
            return HasSpecVersionMember(payload.Span) ? JsonEventFormat.Parse(payload.Span) : null;
        }

        if (MediaTypes.HasPrefix(message.ContentType, "application/cloudevents"))
        {
            // MQTT-03, MQTT-05: structured; MQTT-01: no batches, and the JSON format is the one this gateway reads.
            return HttpBinding.DetectMode(message.ContentType) == HttpContentMode.Structured && HttpBinding.IsJsonFormat(message.ContentType!)
                ? JsonEventFormat.Parse(payload.Span)
                : throw new CloudEventFormatException("Content Type", $"'{message.ContentType}' is not the JSON format of a single event (MQTT-01)");
        }

        var properties = message.UserProperties?.ConvertAll(p => KeyValuePair.Create(p.Name, p.ReadValueAsString())) ?? [];
        return properties.Exists(p => p.Key == CloudEventAttributes.SpecVersion) ? DecodeBinary(message.ContentType, properties, payload) : null;
    }

    /// <summary>
    /// MQTT-04: the Content Type property is <c>datacontenttype</c> (preferred to a <c>datacontenttype</c> User Property,
    /// the spec's DECISION), User Properties named like attributes are the attributes, and the payload is the data.
    /// User Properties whose names no attribute can have are the application's own and are left out.
    /// </summary>
    private static CloudEvent DecodeBinary(string? contentTypeHeader, List<KeyValuePair<string, string>> properties, ReadOnlyMemory<byte> payload)
    {
        var errors = new List<CloudEventError>();
        var builder = new CloudEventBuilder(errors);
        string? contentTypeProperty = null;
        foreach (var (name, value) in properties)
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

        var contentType = contentTypeHeader ?? contentTypeProperty;
        builder.Set(CloudEventAttributes.DataContentType, contentType);
        if (!payload.IsEmpty)
        {
            builder.SetData(CloudEventData.FromPayload(payload, contentType));
        }

        return builder.TryBuild() ?? throw new CloudEventFormatException(errors);
    }

    private static bool HasSpecVersionMember(ReadOnlySpan<byte> payload)
    {
        // Text whose strings cannot be read claims nothing; comparing a member name would throw (found by the
        // "mqtt" fuzz target).
        if (JsonText.FindFault(payload) is not null)
        {
            return false;
        }

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
