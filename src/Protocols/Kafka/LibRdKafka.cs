using System.Runtime.InteropServices;

namespace Gateway.Protocols.Kafka;

/// <summary>
/// The part of librdkafka's C API that the Kafka source calls. Confluent.Kafka 2.15's consumer cannot run on Debian's
/// librdkafka 2.0.2: <c>Consume</c> reads every message's leader epoch (<c>rd_kafka_message_leader_epoch</c>), and
/// <c>Commit</c>, <c>Position</c>, <c>Assignment</c> and its rebalance handling convert partition lists with
/// <c>rd_kafka_topic_partition_get/set_leader_epoch</c>. Those entry points arrived in librdkafka 2.1.0 (KIP-320), so
/// the first <c>Consume</c> throws <see cref="EntryPointNotFoundException"/>. Its producer calls none of them, so sinks
/// keep Confluent.Kafka; the source calls these functions, which librdkafka has had since 1.x. The library is found as
/// Confluent.Kafka's is (<see cref="KafkaLibrary"/>).
/// </summary>
internal static unsafe partial class LibRdKafka
{
    public const int NoError = 0;
    public const int AssignPartitions = -175;
    public const int AllBrokersDown = -187;
    public const int Fatal = -150;

    /// <summary><c>RD_KAFKA_PARTITION_UA</c>: any partition, as subscriptions name topics.</summary>
    public const int AnyPartition = -1;

    private const string Library = "librdkafka";
    private const int ConsumerType = 1;

    /// <summary>The librdkafka error text of <paramref name="error"/>.</summary>
    public static string ErrorText(int error) => Marshal.PtrToStringUTF8(rd_kafka_err2str(error)) ?? error.ToString();

    /// <summary>A consumer handle for <paramref name="conf"/> (which it then owns), or the reason it could not be made.</summary>
    public static IntPtr NewConsumer(IntPtr conf, out string? error)
    {
        var text = stackalloc byte[512];
        var handle = rd_kafka_new(ConsumerType, conf, text, 512);
        error = handle == IntPtr.Zero ? Marshal.PtrToStringUTF8((IntPtr)text) : null;
        return handle;
    }

    /// <summary>Sets one configuration property, or says why it was refused.</summary>
    public static string? Set(IntPtr conf, string name, string value)
    {
        var text = stackalloc byte[512];
        return rd_kafka_conf_set(conf, name, value, text, 512) == 0 ? null : Marshal.PtrToStringUTF8((IntPtr)text);
    }

    [LibraryImport(Library)]
    public static partial int rd_kafka_version();

    [LibraryImport(Library)]
    public static partial IntPtr rd_kafka_conf_new();

    [LibraryImport(Library)]
    public static partial void rd_kafka_conf_destroy(IntPtr conf);

    [LibraryImport(Library)]
    public static partial void rd_kafka_conf_set_opaque(IntPtr conf, IntPtr opaque);

    [LibraryImport(Library)]
    public static partial void rd_kafka_conf_set_rebalance_cb(
        IntPtr conf, delegate* unmanaged[Cdecl]<IntPtr, int, NativePartitionList*, IntPtr, void> callback);

    [LibraryImport(Library)]
    public static partial void rd_kafka_conf_set_offset_commit_cb(
        IntPtr conf, delegate* unmanaged[Cdecl]<IntPtr, int, NativePartitionList*, IntPtr, void> callback);

    [LibraryImport(Library)]
    public static partial void rd_kafka_conf_set_error_cb(IntPtr conf, delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr, IntPtr, void> callback);

    [LibraryImport(Library)]
    public static partial int rd_kafka_poll_set_consumer(IntPtr rk);

    [LibraryImport(Library)]
    public static partial IntPtr rd_kafka_queue_get_consumer(IntPtr rk);

    [LibraryImport(Library)]
    public static partial void rd_kafka_queue_cb_event_enable(IntPtr queue, delegate* unmanaged[Cdecl]<IntPtr, IntPtr, void> callback, IntPtr opaque);

    [LibraryImport(Library)]
    public static partial void rd_kafka_queue_destroy(IntPtr queue);

    [LibraryImport(Library)]
    public static partial NativePartitionList* rd_kafka_topic_partition_list_new(int size);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial NativePartition* rd_kafka_topic_partition_list_add(NativePartitionList* list, string topic, int partition);

    [LibraryImport(Library)]
    public static partial NativePartitionList* rd_kafka_topic_partition_list_copy(NativePartitionList* list);

    [LibraryImport(Library)]
    public static partial void rd_kafka_topic_partition_list_destroy(NativePartitionList* list);

    [LibraryImport(Library)]
    public static partial int rd_kafka_subscribe(IntPtr rk, NativePartitionList* topics);

    [LibraryImport(Library)]
    public static partial int rd_kafka_assign(IntPtr rk, NativePartitionList* partitions);

    [LibraryImport(Library)]
    public static partial NativeMessage* rd_kafka_consumer_poll(IntPtr rk, int timeoutMs);

    [LibraryImport(Library)]
    public static partial void rd_kafka_message_destroy(NativeMessage* message);

    [LibraryImport(Library)]
    public static partial IntPtr rd_kafka_message_errstr(NativeMessage* message);

    [LibraryImport(Library)]
    public static partial long rd_kafka_message_timestamp(NativeMessage* message, int* timestampType);

    [LibraryImport(Library)]
    public static partial int rd_kafka_message_headers(NativeMessage* message, IntPtr* headers);

    [LibraryImport(Library)]
    public static partial int rd_kafka_header_get_all(IntPtr headers, nuint index, IntPtr* name, IntPtr* value, nuint* size);

    [LibraryImport(Library)]
    public static partial IntPtr rd_kafka_topic_name(IntPtr topic);

    [LibraryImport(Library)]
    public static partial int rd_kafka_commit(IntPtr rk, NativePartitionList* offsets, int async);

    [LibraryImport(Library)]
    public static partial int rd_kafka_position(IntPtr rk, NativePartitionList* partitions);

    [LibraryImport(Library)]
    public static partial int rd_kafka_get_watermark_offsets(IntPtr rk, IntPtr topic, int partition, long* low, long* high);

    [LibraryImport(Library)]
    public static partial int rd_kafka_consumer_close(IntPtr rk);

    [LibraryImport(Library)]
    public static partial void rd_kafka_destroy(IntPtr rk);

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_err2str(int error);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rd_kafka_conf_set(IntPtr conf, string name, string value, byte* errorText, nuint errorTextSize);

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_new(int type, IntPtr conf, byte* errorText, nuint errorTextSize);
}

/// <summary><c>rd_kafka_message_t</c>, as librdkafka lays it out.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeMessage
{
    public int Error;
    public IntPtr Topic;
    public int Partition;
    public IntPtr Payload;
    public nuint Length;
    public IntPtr Key;
    public nuint KeyLength;
    public long Offset;
    public IntPtr Private;
}

/// <summary><c>rd_kafka_topic_partition_t</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativePartition
{
    public IntPtr Topic;
    public int Partition;
    public long Offset;
    public IntPtr Metadata;
    public nuint MetadataSize;
    public IntPtr Opaque;
    public int Error;
    public IntPtr Private;
}

/// <summary><c>rd_kafka_topic_partition_list_t</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativePartitionList
{
    public int Count;
    public int Size;
    public NativePartition* Elements;

    public readonly Span<NativePartition> AsSpan() => new(Elements, Count);
}
