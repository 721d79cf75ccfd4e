using System.Text;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Json;

namespace Gateway.Protocols.Kafka;

/// <summary>A Kafka record as the binding sees it: key, headers (UTF-8 values), value.</summary>
public sealed record KafkaRecord(byte[]? Key, IReadOnlyList<KeyValuePair<string, byte[]>> Headers, byte[]? Value);

/// <summary>The Kafka protocol binding (§4.2), both directions, without a Kafka client.</summary>
public static class KafkaCloudEventMessage
{
    private const string ContentTypeHeader = "content-type";
    private const string Prefix = "ce_";

    /// <summary>
    /// Encodes an event. Binary (KAFKA-05): <c>ce_</c> headers with UTF-8 canonical strings (no percent-encoding),
    /// <c>content-type</c> from <c>datacontenttype</c>, the data as value (no data: a null value, KAFKA-06).
    /// Structured (KAFKA-07): <c>content-type: application/cloudevents+json</c> always (G22), the JSON format as value.
    /// With <paramref name="partitionKeyAsKey"/> the <c>partitionkey</c> extension becomes the record key and stays a
    /// header too (KAFKA-04).
    /// </summary>
    public static KafkaRecord Encode(CloudEvent cloudEvent, bool structured, bool partitionKeyAsKey)
    {
        var key = partitionKeyAsKey && cloudEvent.TryGetAttribute("partitionkey", out var partitionKey)
            ? Encoding.UTF8.GetBytes(partitionKey.Text)
            : null;
        if (structured)
        {
            return new KafkaRecord(key, [Header(ContentTypeHeader, MediaTypes.CloudEventsJson)], JsonEventFormat.ToUtf8Bytes(cloudEvent));
        }

        var headers = cloudEvent.AttributesExceptDataContentType().Select(a => Header(Prefix + a.Key, a.Value)).ToList();
        AddIfPresent(headers, ContentTypeHeader, cloudEvent.DataContentType ?? (cloudEvent.Data.IsJson ? MediaTypes.Json : null));
        return new KafkaRecord(key, headers, cloudEvent.Data.IsPresent ? cloudEvent.Data.Bytes.ToArray() : null);
    }

    /// <summary>
    /// Decodes a record (for sources): structured when <c>content-type</c> starts with <c>application/cloudevents</c>
    /// (KAFKA-03), binary otherwise. Throws <see cref="CloudEventFormatException"/> for an invalid event.
    /// </summary>
    public static CloudEvent Decode(KafkaRecord record)
    {
        var contentType = record.Headers.LastOrDefault(h => h.Key.Equals(ContentTypeHeader, StringComparison.OrdinalIgnoreCase)).Value is { } bytes
            ? Encoding.UTF8.GetString(bytes)
            : null;
        if (MediaTypes.HasPrefix(contentType, "application/cloudevents"))
        {
            return JsonEventFormat.Parse(record.Value ?? []);
        }

        var errors = new List<CloudEventError>();
        var builder = new CloudEventBuilder(errors, Prefix);
        foreach (var (name, value) in record.Headers)
        {
            if (name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && name.Length > Prefix.Length)
            {
                builder.Set(name[Prefix.Length..].ToLowerInvariant(), Encoding.UTF8.GetString(value));
            }
        }

        builder.Set(CloudEventAttributes.DataContentType, contentType);
        if (record.Value is { } data)
        {
            builder.SetData(CloudEventData.FromPayload(data, contentType));
        }

        return builder.TryBuild() ?? throw new CloudEventFormatException(errors);
    }

    private static KeyValuePair<string, byte[]> Header(string name, string value) => new(name, Encoding.UTF8.GetBytes(value));

    private static void AddIfPresent(List<KeyValuePair<string, byte[]>> headers, string name, string? value)
    {
        if (value is not null)
        {
            headers.Add(Header(name, value));
        }
    }
}
