using Confluent.Kafka;

namespace Gateway.Protocols.Kafka;

/// <summary>A record a source read: where it sits in the topic, when it was written, and the record itself.</summary>
internal sealed record KafkaConsumedRecord(string Topic, int Partition, long Offset, DateTimeOffset? Timestamp, KafkaRecord Record)
{
    public static KafkaConsumedRecord From(ConsumeResult<byte[]?, byte[]?> consumed)
    {
        var message = consumed.Message;
        var headers = new List<KeyValuePair<string, byte[]>>();
        foreach (var header in message.Headers ?? [])
        {
            // A header with a null value carries nothing a CloudEvent attribute could hold.
            if (header.GetValueBytes() is { } value)
            {
                headers.Add(new(header.Key, value));
            }
        }

        return new KafkaConsumedRecord(
            consumed.Topic,
            consumed.Partition.Value,
            consumed.Offset.Value,
            message.Timestamp.Type == TimestampType.NotAvailable ? null : DateTimeOffset.FromUnixTimeMilliseconds(message.Timestamp.UnixTimestampMs),
            new KafkaRecord(message.Key, headers, message.Value));
    }
}
