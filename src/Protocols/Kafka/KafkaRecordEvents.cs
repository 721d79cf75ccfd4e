using System.Text;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;

namespace Gateway.Protocols.Kafka;

/// <summary>What a Kafka source makes of a record: the CloudEvent it carries, or the record wrapped as one.</summary>
internal static class KafkaRecordEvents
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// A record whose <c>content-type</c> starts with <c>application/cloudevents</c> (structured, KAFKA-03) or that has a
    /// <c>ce_specversion</c> header (binary, KAFKA-05) is decoded; a record that claims to be a CloudEvent but is not
    /// valid is wrapped like any other, and the health says why. A wrapped record's id is
    /// <c>{topic}-{partition}-{offset}</c> and its time the record's timestamp, so a record read again after a crash
    /// becomes the same event; its key, when it is UTF-8 text, becomes <c>subject</c> (Kafka keys name the entity a
    /// record is about, which is what subject filters select on).
    /// </summary>
    public static CloudEvent ToCloudEvent(KafkaConsumedRecord consumed, SourceDefaults defaults, SourceContext context)
    {
        var record = consumed.Record;
        var contentType = Header(record, "content-type");
        var id = $"{consumed.Topic}-{consumed.Partition}-{consumed.Offset}";
        if (MediaTypes.HasPrefix(contentType, "application/cloudevents") || Header(record, "ce_specversion") is not null)
        {
            try
            {
                return KafkaCloudEventMessage.Decode(record);
            }
            catch (CloudEventFormatException ex)
            {
                var errors = string.Join("; ", ex.Errors.Select(e => $"{e.Field}: {e.Message}"));
                context.Health.Error($"record {id} claims to be a CloudEvent but is not ({errors}); it was wrapped", context.Time.GetUtcNow());
            }
        }

        return MessageWrapper.Wrap(defaults, id, record.Value, contentType, consumed.Timestamp ?? context.Time.GetUtcNow(), Text(record.Key));
    }

    private static string? Header(KafkaRecord record, string name) =>
        record.Headers.LastOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value is { } value ? Text(value) : null;

    private static string? Text(byte[]? bytes)
    {
        if (bytes is not { Length: > 0 })
        {
            return null;
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
