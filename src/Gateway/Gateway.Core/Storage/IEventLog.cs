using Gateway.Protocols.CloudEvents;

namespace Gateway.Storage;

/// <summary>
/// The durable, ordered log every accepted event is appended to before the producer hears 202 (design.md, "Data
/// flow"). It is split into partitions, each ordered and with its own checkpoint, so several nodes can share the
/// dispatching (<see cref="ILogPartitions"/>); the embedded store has one.
/// </summary>
internal interface IEventLog
{
    /// <summary>Appends all <paramref name="events"/> in one durable commit (shared with concurrent callers).</summary>
    ValueTask AppendAsync(IReadOnlyList<CloudEvent> events, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> events of a partition with a position greater than <paramref name="after"/>, in order.</summary>
    Task<IReadOnlyList<LoggedEvent>> ReadAsync(int partition, long after, int max, CancellationToken cancellationToken);

    /// <summary>The position up to which every event of a partition is finished (0 when none).</summary>
    Task<long> ReadCheckpointAsync(int partition, CancellationToken cancellationToken);

    /// <summary>Moves a partition's checkpoint forward (never back); events at or below it may be removed.</summary>
    Task SaveCheckpointAsync(int partition, long position, CancellationToken cancellationToken);

    /// <summary>Completes when an append to the partition was committed since the last call, or the token fires.</summary>
    Task WaitForAppendAsync(int partition, CancellationToken cancellationToken);
}

/// <summary>An event and its position in its partition of the log.</summary>
internal readonly record struct LoggedEvent(long Position, CloudEvent Event);
