using System.Text;
using System.Text.Json;
using Gateway.Protocols.CloudEvents;
using Sdk = CloudNative.CloudEvents;

namespace Gateway.Protocols.Abstractions;

/// <summary>
/// The gateway's events as the CNCF SDK's <see cref="Sdk.CloudEvent"/> and back, for plugin authors who write senders,
/// sources and bindings against the SDK. The gateway itself keeps its own model on the hot path: the SDK
/// does not forward every official event unchanged (SdkFidelityTests), so a conversion to the SDK may cut a
/// <c>time</c> to 7 fractional digits; integer and boolean extensions keep their types.
/// </summary>
public static class SdkCloudEvents
{
    /// <summary>The event as the SDK's: every attribute by its canonical string, JSON data as a JSON element, other data as bytes.</summary>
    public static Sdk.CloudEvent ToSdkCloudEvent(this CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        var converted = new Sdk.CloudEvent(Sdk.CloudEventsSpecVersion.V1_0);
        foreach (var (name, value) in cloudEvent.AttributesExceptDataContentType())
        {
            if (name != CloudEventAttributes.SpecVersion)
            {
                converted.SetAttributeFromString(name, value);
            }
        }

        foreach (var (name, value) in cloudEvent.Extensions.Where(e => e.Value.Type != CloudEventValueType.String))
        {
            // Typed, so that the SDK writes 10 and true rather than "10" and "true".
            var attribute = Sdk.CloudEventAttribute.CreateExtension(
                name, value.Type == CloudEventValueType.Integer ? Sdk.CloudEventAttributeType.Integer : Sdk.CloudEventAttributeType.Boolean);
            converted[attribute] = value.Type == CloudEventValueType.Integer ? value.Integer : value.Boolean;
        }

        converted.DataContentType = cloudEvent.DataContentType;
        if (cloudEvent.Data.IsPresent)
        {
            converted.Data = cloudEvent.Data.IsJson
                ? JsonDocument.Parse(cloudEvent.Data.Bytes).RootElement.Clone()
                : cloudEvent.Data.Bytes.ToArray();
        }

        return converted;
    }

    /// <summary>
    /// The SDK's event as the gateway's. Data may be a JSON element, bytes or a string (as UTF-8); throws
    /// <see cref="CloudEventFormatException"/> when the event is not valid, <see cref="ArgumentException"/> for data of
    /// another type (serialize it first, with the formatter of your choice).
    /// </summary>
    public static CloudEvent FromSdkCloudEvent(Sdk.CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        var errors = new List<CloudEventError>();
        var builder = new CloudEventBuilder(errors);
        foreach (var (attribute, value) in cloudEvent.GetPopulatedAttributes())
        {
            builder.Set(attribute.Name, attribute.Type == Sdk.CloudEventAttributeType.Integer ? CloudEventValue.FromInteger((int)value)
                : attribute.Type == Sdk.CloudEventAttributeType.Boolean ? CloudEventValue.FromBoolean((bool)value)
                : CloudEventValue.FromString(attribute.Format(value)));
        }

        builder.Set(CloudEventAttributes.SpecVersion, cloudEvent.SpecVersion.VersionId);
        switch (cloudEvent.Data)
        {
            case null:
                break;
            case JsonElement json:
                builder.SetData(CloudEventData.FromJson(Encoding.UTF8.GetBytes(json.GetRawText())));
                break;
            case byte[] bytes:
                builder.SetData(CloudEventData.FromPayload(bytes, cloudEvent.DataContentType));
                break;
            case string text:
                builder.SetData(CloudEventData.FromPayload(Encoding.UTF8.GetBytes(text), cloudEvent.DataContentType));
                break;
            default:
                throw new ArgumentException($"data of type {cloudEvent.Data.GetType().Name} has no wire form; serialize it to bytes or a JSON element", nameof(cloudEvent));
        }

        return builder.TryBuild() ?? throw new CloudEventFormatException(errors);
    }
}
