using Gateway.Protocols.CloudEvents;

namespace Gateway.Storage;

/// <summary>
/// The durable, ordered log every accepted event is appended to before the producer hears 202 (design.md, "Data
/// flow"). The dispatcher reads it in order and moves a checkpoint past what it finished.
/// </summary>
internal interface IEventLog
{
    /// <summary>Appends all <paramref name="events"/> in one durable commit (shared with concurrent callers).</summary>
    ValueTask AppendAsync(IReadOnlyList<CloudEvent> events, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> events with a position greater than <paramref name="after"/>, in order.</summary>
    Task<IReadOnlyList<LoggedEvent>> ReadAsync(long after, int max, CancellationToken cancellationToken);

    /// <summary>The position up to which every event is finished (0 when none).</summary>
    Task<long> ReadCheckpointAsync(CancellationToken cancellationToken);

    /// <summary>Moves the checkpoint; events at or below it may be removed from the log.</summary>
    Task SaveCheckpointAsync(long position, CancellationToken cancellationToken);

    /// <summary>Completes when an append has been committed since the last call, or the token fires.</summary>
    Task WaitForAppendAsync(CancellationToken cancellationToken);
}

/// <summary>An event and its position in the log.</summary>
internal readonly record struct LoggedEvent(long Position, CloudEvent Event);
