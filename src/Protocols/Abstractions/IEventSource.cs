using Gateway.Protocols.CloudEvents;

namespace Gateway.Protocols.Abstractions;

/// <summary>
/// Reads one external source until stopped. At least once, end to end: a message is acknowledged upstream (a Kafka
/// offset commit, an MQTT PUBACK, a JetStream ack) only after the events made from it are durably appended. A source
/// holds its connections only while it runs: it releases them when <see cref="RunAsync"/> ends.
/// </summary>
public interface IEventSource
{
    /// <summary>
    /// Connects, reads, converts and appends until <paramref name="cancellationToken"/> fires. Throws when the source
    /// cannot go on (its broker is unreachable); the caller records the error and runs it again after a pause.
    /// </summary>
    Task RunAsync(SourceContext context, CancellationToken cancellationToken);
}

/// <summary>What the gateway gives a running source.</summary>
/// <param name="Appender">Where the events go: the event log.</param>
/// <param name="Health">What the source reports about itself.</param>
/// <param name="State">A small string the source keeps across runs and restarts (an HTTP poll's validators).</param>
/// <param name="Time">The clock, virtual in tests.</param>
public sealed record SourceContext(IEventAppender Appender, SourceHealth Health, ISourceState State, TimeProvider Time);

/// <summary>Where a source puts what it read: the gateway's event log.</summary>
public interface IEventAppender
{
    /// <summary>Completes once the events are durably appended; only then may the source acknowledge upstream.</summary>
    ValueTask AppendAsync(IReadOnlyList<CloudEvent> events, CancellationToken cancellationToken);
}

/// <summary>The state a source keeps in the gateway's store.</summary>
public interface ISourceState
{
    /// <summary>What the source saved last (an offset, validators), or null before its first save.</summary>
    Task<string?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Saves the source's state; a source saves only after the events it covers were appended.</summary>
    Task SaveAsync(string state, CancellationToken cancellationToken);
}
