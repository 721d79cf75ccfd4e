using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Http;
using Gateway.Protocols.CloudEvents.Json;
using NATS.Client.Core;

namespace Gateway.Protocols.Nats;

/// <summary>The NATS protocol binding (§4.4): a CloudEvent as NATS.Net headers and payload.</summary>
public static class NatsCloudEventMessage
{
    /// <summary>
    /// Binary mode (NATS-04, NATS-05): every attribute, <c>datacontenttype</c> included, as a <c>ce-</c> header with
    /// HTTP's percent-encoding; the payload is the data.
    /// </summary>
    public static (NatsHeaders Headers, ReadOnlyMemory<byte> Payload) ToBinary(CloudEvent cloudEvent)
    {
        var headers = new NatsHeaders();
        foreach (var (name, value) in HttpBinding.EncodeBinaryHeaders(cloudEvent))
        {
            headers[name] = value;
        }

        // CE-09: JSON data without a datacontenttype is sent with the implied application/json.
        if (HttpBinding.BinaryContentType(cloudEvent) is { } contentType)
        {
            headers["ce-datacontenttype"] = HttpHeaderValue.Encode(contentType);
        }

        return (headers, cloudEvent.Data.Bytes);
    }

    /// <summary>Structured mode (NATS-03): <c>Content-Type: application/cloudevents+json</c>, the JSON format as payload.</summary>
    public static (NatsHeaders Headers, ReadOnlyMemory<byte> Payload) ToStructured(CloudEvent cloudEvent) =>
        (new NatsHeaders { ["Content-Type"] = MediaTypes.CloudEventsJson }, JsonEventFormat.ToUtf8Bytes(cloudEvent));

    /// <summary>
    /// Reads a received message (for sources). Structured when <c>Content-Type</c> starts with
    /// <c>application/cloudevents</c> (NATS-03), binary when a <c>ce-specversion</c> header is there (NATS-04), and
    /// otherwise not a CloudEvent: null. Header names are matched ignoring case, whatever the headers' own setting.
    /// Throws <see cref="CloudEventFormatException"/> when the message claims to be a CloudEvent and is not valid.
    /// </summary>
    public static CloudEvent? Decode(NatsHeaders? headers, ReadOnlyMemory<byte> payload)
    {
        var entries = headers?.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString())).ToList() ?? [];
        var contentType = Find(entries, "Content-Type");
        if (MediaTypes.HasPrefix(contentType, "application/cloudevents"))
        {
            // NATS-01: no batches; NATS-03: the JSON format.
            return HttpBinding.DetectMode(contentType) == HttpContentMode.Structured && HttpBinding.IsJsonFormat(contentType!)
                ? JsonEventFormat.Parse(payload.Span)
                : throw new CloudEventFormatException("Content-Type", $"'{contentType}' is not the JSON format of a single event (NATS-01)");
        }

        if (Find(entries, HttpBinding.HeaderPrefix + CloudEventAttributes.SpecVersion) is null)
        {
            return null;
        }

        // NATS-04: datacontenttype is a ce- header like every other attribute; NATS-05: decoded as in HTTP (HTTP-12).
        const string dataContentTypeHeader = HttpBinding.HeaderPrefix + CloudEventAttributes.DataContentType;
        string? dataContentType = null;
        if (Find(entries, dataContentTypeHeader) is { } encoded)
        {
            dataContentType = HttpHeaderValue.TryDecode(encoded, out var decoded, out var error)
                ? decoded
                : throw new CloudEventFormatException(dataContentTypeHeader, error!);
        }

        var attributes = entries.Where(h => !h.Key.Equals(dataContentTypeHeader, StringComparison.OrdinalIgnoreCase));
        return HttpBinding.DecodeBinary(dataContentType, attributes, payload);
    }

    private static string? Find(List<KeyValuePair<string, string>> entries, string name) =>
        entries.FindLast(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
}
