using Confluent.Kafka;
using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Kafka;

/// <summary>
/// One member of a Kafka consumer group: Confluent.Kafka's consumer, used from one caller at a time. Offsets are
/// stored only by <see cref="Store"/>, after the source appended the records, and librdkafka commits what is stored
/// in the background and when the member leaves (<c>enable.auto.offset.store=false</c>; KafkaSourceSettings.ToConfig):
/// at least once, as Confluent recommends. Rebalances, commit results and errors are reported to the source's health:
/// connected once the group assigned this member its share; disconnected when every broker is down; a fatal error
/// ends the run.
/// </summary>
internal sealed class KafkaGroupConsumer : IDisposable
{
    private readonly IConsumer<byte[]?, byte[]?> _consumer;
    private readonly SourceHealth _health;
    private readonly TimeProvider _time;
    private string? _fatal;

    private KafkaGroupConsumer(IEnumerable<KeyValuePair<string, string>> config, SourceHealth health, TimeProvider time)
    {
        _health = health;
        _time = time;
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetPartitionsAssignedHandler((_, _) => _health.Connected())
            .SetErrorHandler((_, error) => Failed(error))
            .SetOffsetsCommittedHandler((_, committed) => Committed(committed))
            .Build();
    }

    /// <summary>A consumer in the group <paramref name="config"/> names, subscribed to <paramref name="topics"/>.</summary>
    public static KafkaGroupConsumer Subscribe(
        IEnumerable<KeyValuePair<string, string>> config, IReadOnlyList<string> topics, SourceHealth health, TimeProvider time)
    {
        var consumer = new KafkaGroupConsumer(config, health, time);
        try
        {
            consumer._consumer.Subscribe(topics);
            return consumer;
        }
        catch (KafkaException ex)
        {
            consumer.Dispose();
            throw new InvalidOperationException($"Kafka: subscribing to {string.Join(", ", topics)} failed: {ex.Error.Reason}", ex);
        }
    }

    /// <summary>
    /// Up to <paramref name="max"/> records: the first waited for up to <paramref name="wait"/>, the others only if they
    /// are there already. Confluent's consumer blocks while it waits, so the wait runs on the thread pool, and short.
    /// </summary>
    public Task<List<KafkaConsumedRecord>> NextRoundAsync(int max, TimeSpan wait, CancellationToken cancellationToken) =>
        Task.Run(() => TakeRound(max, wait), cancellationToken);

    /// <summary>
    /// Stores, for the background commit, the offset after the last of <paramref name="appended"/> in each partition.
    /// Only appended records are stored: a failed commit costs duplicates, never a loss.
    /// </summary>
    public void Store(IReadOnlyList<KafkaConsumedRecord> appended)
    {
        var next = new Dictionary<(string Topic, int Partition), long>();
        foreach (var record in appended)
        {
            next[(record.Topic, record.Partition)] = Math.Max(next.GetValueOrDefault((record.Topic, record.Partition)), record.Offset + 1);
        }

        foreach (var ((topic, partition), offset) in next)
        {
            try
            {
                _consumer.StoreOffset(new TopicPartitionOffset(topic, partition, offset));
            }
            catch (KafkaException ex)
            {
                // The partition was revoked meanwhile: its new owner reads those records again.
                _health.Error($"Kafka: storing the offset of {topic}-{partition} failed: {ex.Error.Reason}", _time.GetUtcNow());
            }
        }
    }

    /// <summary>
    /// High watermark minus position, summed over the assigned partitions where the client knows both (its cached
    /// values: no broker round trip); null when it knows neither for any.
    /// </summary>
    public long? Lag()
    {
        long? lag = null;
        foreach (var partition in _consumer.Assignment)
        {
            var position = _consumer.Position(partition);
            var watermarks = _consumer.GetWatermarkOffsets(partition);
            if (position.Value >= 0 && watermarks.High.Value >= 0)
            {
                lag = (lag ?? 0) + Math.Max(0, watermarks.High.Value - position.Value);
            }
        }

        return lag;
    }

    /// <summary>Leaves the group, committing what is stored, so its partitions go to the other members at once.</summary>
    public void Dispose()
    {
        try
        {
            _consumer.Close();
        }
        catch (KafkaException)
        {
            // No broker: the group moves the partitions after the session timeout instead.
        }

        _consumer.Dispose();
    }

    private List<KafkaConsumedRecord> TakeRound(int max, TimeSpan wait)
    {
        var round = new List<KafkaConsumedRecord>();
        while (round.Count < max && Consume(round.Count == 0 ? wait : TimeSpan.Zero) is { } record)
        {
            round.Add(record);
        }

        // A fatal error (reported through the error handler, which must not throw into librdkafka) ends the run.
        return _fatal is { } fatal ? throw new InvalidOperationException(fatal) : round;
    }

    private KafkaConsumedRecord? Consume(TimeSpan wait)
    {
        try
        {
            return _consumer.Consume(wait) is { } consumed ? KafkaConsumedRecord.From(consumed) : null;
        }
        catch (ConsumeException ex)
        {
            Failed(ex.Error);
            return null;
        }
    }

    private void Committed(CommittedOffsets committed)
    {
        var error = committed.Error.IsError ? committed.Error : committed.Offsets.Select(o => o.Error).FirstOrDefault(e => e.IsError);
        if (error is not null && error.Code != ErrorCode.Local_NoOffset)
        {
            _health.Error($"Kafka: offset commit failed: {error.Reason}", _time.GetUtcNow());
        }
    }

    private void Failed(Error error)
    {
        var reason = $"Kafka: {error.Reason}";
        if (error.IsFatal)
        {
            _fatal = reason;
        }
        else if (error.Code == ErrorCode.Local_AllBrokersDown)
        {
            _health.Disconnected(reason, _time.GetUtcNow());
        }
        else
        {
            _health.Error(reason, _time.GetUtcNow());
        }
    }
}
