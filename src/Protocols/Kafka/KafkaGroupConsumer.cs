using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Kafka;

/// <summary>
/// One member of a Kafka consumer group over librdkafka's C API (<see cref="LibRdKafka"/> says why not Confluent.Kafka's
/// consumer). No thread is blocked: records are taken with zero-timeout polls, and librdkafka signals from its own
/// thread when the consumer queue gets something after being empty. Offsets are committed only by
/// <see cref="Commit"/> (<c>enable.auto.commit=false</c>). Rebalances, commit results and errors are served inside
/// <see cref="TryPoll"/>, on the caller's thread, and reported to the source's health: connected once the group
/// assigned this member its share; disconnected when every broker is down, until the next assignment or record.
/// </summary>
internal sealed unsafe class KafkaGroupConsumer : IDisposable
{
    private readonly SourceHealth _health;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _queueFilled = new(0);
    private readonly IntPtr _handle;
    private readonly IntPtr _queue;
    private GCHandle _self;
    private NativePartitionList* _assignment;
    private string? _fatal;

    private KafkaGroupConsumer(IEnumerable<KeyValuePair<string, string>> config, SourceHealth health, TimeProvider time)
    {
        _health = health;
        _time = time;
        var conf = LibRdKafka.rd_kafka_conf_new();
        foreach (var (name, value) in config)
        {
            if (LibRdKafka.Set(conf, name, value) is { } refused)
            {
                LibRdKafka.rd_kafka_conf_destroy(conf);
                throw new InvalidOperationException($"Kafka consumer setting {name}: {refused}");
            }
        }

        _self = GCHandle.Alloc(this);
        LibRdKafka.rd_kafka_conf_set_opaque(conf, GCHandle.ToIntPtr(_self));
        LibRdKafka.rd_kafka_conf_set_rebalance_cb(conf, &OnRebalance);
        LibRdKafka.rd_kafka_conf_set_offset_commit_cb(conf, &OnCommitted);
        LibRdKafka.rd_kafka_conf_set_error_cb(conf, &OnError);
        _handle = LibRdKafka.NewConsumer(conf, out var error);
        if (_handle == IntPtr.Zero)
        {
            // rd_kafka_new owns the configuration only when it succeeds.
            LibRdKafka.rd_kafka_conf_destroy(conf);
            _self.Free();
            throw new InvalidOperationException($"Kafka consumer: {error}");
        }

        if (LibRdKafka.rd_kafka_poll_set_consumer(_handle) is var redirect and not LibRdKafka.NoError)
        {
            LibRdKafka.rd_kafka_destroy(_handle);
            _self.Free();
            throw new InvalidOperationException($"Kafka consumer: {LibRdKafka.ErrorText(redirect)}");
        }

        _queue = LibRdKafka.rd_kafka_queue_get_consumer(_handle);
        LibRdKafka.rd_kafka_queue_cb_event_enable(_queue, &OnQueueFilled, GCHandle.ToIntPtr(_self));
    }

    /// <summary>A consumer in the group <paramref name="config"/> names, subscribed to <paramref name="topics"/>.</summary>
    public static KafkaGroupConsumer Subscribe(
        IEnumerable<KeyValuePair<string, string>> config, IReadOnlyList<string> topics, SourceHealth health, TimeProvider time)
    {
        var consumer = new KafkaGroupConsumer(config, health, time);
        var list = LibRdKafka.rd_kafka_topic_partition_list_new(topics.Count);
        try
        {
            foreach (var topic in topics)
            {
                LibRdKafka.rd_kafka_topic_partition_list_add(list, topic, LibRdKafka.AnyPartition);
            }

            if (LibRdKafka.rd_kafka_subscribe(consumer._handle, list) is var error and not LibRdKafka.NoError)
            {
                consumer.Dispose();
                throw new InvalidOperationException($"Kafka: subscribing to {string.Join(", ", topics)} failed: {LibRdKafka.ErrorText(error)}");
            }
        }
        finally
        {
            LibRdKafka.rd_kafka_topic_partition_list_destroy(list);
        }

        return consumer;
    }

    /// <summary>The next record when one is waiting, serving rebalances, commit results and errors on the way.</summary>
    public bool TryPoll([NotNullWhen(true)] out KafkaConsumedRecord? record)
    {
        NativeMessage* message;
        while ((message = LibRdKafka.rd_kafka_consumer_poll(_handle, 0)) != null)
        {
            try
            {
                if (message->Error == LibRdKafka.NoError)
                {
                    record = KafkaConsumedRecord.Read(message);
                    return true;
                }

                Failed(message->Error, Marshal.PtrToStringUTF8(LibRdKafka.rd_kafka_message_errstr(message)));
            }
            finally
            {
                LibRdKafka.rd_kafka_message_destroy(message);
            }
        }

        // A fatal error (reported through the error callback, which must not throw into librdkafka) ends the run.
        if (_fatal is { } fatal)
        {
            throw new InvalidOperationException(fatal);
        }

        record = null;
        return false;
    }

    /// <summary>
    /// Completes when the consumer queue got something after <see cref="TryPoll"/> found it empty, or after
    /// <paramref name="longest"/>: the wake-up comes only on that transition, so the bound caps what a missed one costs.
    /// </summary>
    public Task WaitAsync(TimeSpan longest, CancellationToken cancellationToken) => _queueFilled.WaitAsync(longest, cancellationToken);

    /// <summary>
    /// Commits, without waiting for the broker, the offset after the last of <paramref name="appended"/> in each
    /// partition. A failure shows in the health and costs duplicates, never a loss: only appended records are committed.
    /// </summary>
    public void Commit(IReadOnlyList<KafkaConsumedRecord> appended)
    {
        var next = new Dictionary<(string Topic, int Partition), long>();
        foreach (var record in appended)
        {
            next[(record.Topic, record.Partition)] = Math.Max(next.GetValueOrDefault((record.Topic, record.Partition)), record.Offset + 1);
        }

        var list = LibRdKafka.rd_kafka_topic_partition_list_new(next.Count);
        try
        {
            foreach (var ((topic, partition), offset) in next)
            {
                LibRdKafka.rd_kafka_topic_partition_list_add(list, topic, partition)->Offset = offset;
            }

            if (LibRdKafka.rd_kafka_commit(_handle, list, 1) is var error and not LibRdKafka.NoError)
            {
                _health.Error($"Kafka: offset commit failed: {LibRdKafka.ErrorText(error)}", _time.GetUtcNow());
            }
        }
        finally
        {
            LibRdKafka.rd_kafka_topic_partition_list_destroy(list);
        }
    }

    /// <summary>
    /// High watermark minus position, summed over the assigned partitions where librdkafka knows both (its cached
    /// values: no broker round trip); null when it knows neither for any.
    /// </summary>
    public long? Lag()
    {
        if (_assignment == null)
        {
            return null;
        }

        var positions = LibRdKafka.rd_kafka_topic_partition_list_copy(_assignment);
        try
        {
            if (LibRdKafka.rd_kafka_position(_handle, positions) != LibRdKafka.NoError)
            {
                return null;
            }

            long? lag = null;
            foreach (var partition in positions->AsSpan())
            {
                long low, high;
                if (partition.Offset >= 0
                    && LibRdKafka.rd_kafka_get_watermark_offsets(_handle, partition.Topic, partition.Partition, &low, &high) == LibRdKafka.NoError
                    && high >= 0)
                {
                    lag = (lag ?? 0) + Math.Max(0, high - partition.Offset);
                }
            }

            return lag;
        }
        finally
        {
            LibRdKafka.rd_kafka_topic_partition_list_destroy(positions);
        }
    }

    /// <summary>Leaves the group, so its partitions go to the other members at once, committing nothing more.</summary>
    public void Dispose()
    {
        LibRdKafka.rd_kafka_queue_cb_event_enable(_queue, null, IntPtr.Zero);
        LibRdKafka.rd_kafka_queue_destroy(_queue);
        // When leaving fails (no broker), the group moves the partitions after the session timeout instead.
        _ = LibRdKafka.rd_kafka_consumer_close(_handle);
        LibRdKafka.rd_kafka_destroy(_handle);
        Assign(null);
        _self.Free();
        _queueFilled.Dispose();
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnQueueFilled(IntPtr handle, IntPtr self) => From(self)._queueFilled.Release();

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnRebalance(IntPtr handle, int error, NativePartitionList* partitions, IntPtr self) =>
        From(self).Rebalanced(error == LibRdKafka.AssignPartitions ? partitions : null);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnError(IntPtr handle, int error, IntPtr reason, IntPtr self) =>
        From(self).Failed(error, Marshal.PtrToStringUTF8(reason));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnCommitted(IntPtr handle, int error, NativePartitionList* offsets, IntPtr self) =>
        From(self).Committed(error, offsets);

    private static KafkaGroupConsumer From(IntPtr self) => (KafkaGroupConsumer)GCHandle.FromIntPtr(self).Target!;

    private void Rebalanced(NativePartitionList* assigned)
    {
        // librdkafka's default assignors are eager: a rebalance revokes everything, then assigns the new share.
        if (LibRdKafka.rd_kafka_assign(_handle, assigned) is var error and not LibRdKafka.NoError)
        {
            _health.Error($"Kafka: taking the assigned partitions failed: {LibRdKafka.ErrorText(error)}", _time.GetUtcNow());
        }

        Assign(assigned == null ? null : LibRdKafka.rd_kafka_topic_partition_list_copy(assigned));
        if (assigned != null)
        {
            _health.Connected();
        }
    }

    private void Assign(NativePartitionList* assignment)
    {
        if (_assignment != null)
        {
            LibRdKafka.rd_kafka_topic_partition_list_destroy(_assignment);
        }

        _assignment = assignment;
    }

    private void Committed(int error, NativePartitionList* offsets)
    {
        if (error == LibRdKafka.NoError && offsets != null)
        {
            foreach (var partition in offsets->AsSpan())
            {
                error = partition.Error == LibRdKafka.NoError ? error : partition.Error;
            }
        }

        if (error != LibRdKafka.NoError)
        {
            _health.Error($"Kafka: offset commit failed: {LibRdKafka.ErrorText(error)}", _time.GetUtcNow());
        }
    }

    private void Failed(int error, string? text)
    {
        var reason = $"Kafka: {text ?? LibRdKafka.ErrorText(error)}";
        switch (error)
        {
            case LibRdKafka.Fatal:
                _fatal = reason;
                break;
            case LibRdKafka.AllBrokersDown:
                _health.Disconnected(reason, _time.GetUtcNow());
                break;
            default:
                _health.Error(reason, _time.GetUtcNow());
                break;
        }
    }
}
