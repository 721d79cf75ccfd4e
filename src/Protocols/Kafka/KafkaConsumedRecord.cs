using System.Runtime.InteropServices;

namespace Gateway.Protocols.Kafka;

/// <summary>A record a source read: where it sits in the topic, when it was written, and the record itself.</summary>
internal sealed record KafkaConsumedRecord(string Topic, int Partition, long Offset, DateTimeOffset? Timestamp, KafkaRecord Record)
{
    /// <summary>Copies what librdkafka's message holds, which is freed right after.</summary>
    public static unsafe KafkaConsumedRecord Read(NativeMessage* message)
    {
        int timestampType;
        var timestamp = LibRdKafka.rd_kafka_message_timestamp(message, &timestampType);
        return new KafkaConsumedRecord(
            Marshal.PtrToStringUTF8(LibRdKafka.rd_kafka_topic_name(message->Topic))!,
            message->Partition,
            message->Offset,
            timestamp >= 0 ? DateTimeOffset.FromUnixTimeMilliseconds(timestamp) : null,
            new KafkaRecord(Copy(message->Key, message->KeyLength), Headers(message), Copy(message->Payload, message->Length)));
    }

    private static unsafe List<KeyValuePair<string, byte[]>> Headers(NativeMessage* message)
    {
        var headers = new List<KeyValuePair<string, byte[]>>();
        IntPtr list;
        if (LibRdKafka.rd_kafka_message_headers(message, &list) != LibRdKafka.NoError)
        {
            return headers;
        }

        IntPtr name, value;
        nuint size;
        for (nuint index = 0; LibRdKafka.rd_kafka_header_get_all(list, index, &name, &value, &size) == LibRdKafka.NoError; index++)
        {
            // A header with a null value carries nothing a CloudEvent attribute could hold.
            if (value != IntPtr.Zero)
            {
                headers.Add(new(Marshal.PtrToStringUTF8(name)!, Copy(value, size)!));
            }
        }

        return headers;
    }

    private static unsafe byte[]? Copy(IntPtr data, nuint length) =>
        data == IntPtr.Zero ? null : new ReadOnlySpan<byte>((void*)data, checked((int)length)).ToArray();
}
