namespace Gateway.Protocols.Abstractions;

/// <summary>
/// What a running source reports about itself, shown in its read-only <c>status</c>: whether it is connected, when
/// it last received a message or polled, how far behind it is where the protocol tells (Kafka lag, JetStream pending),
/// and its last error. Written by the source, read by the API at any time.
/// </summary>
public sealed class SourceHealth
{
    private readonly Lock _lock = new();
    private SourceHealthSnapshot _snapshot = new(false, null, null, null, null, null, 0);

    /// <summary>The health as of now, for the source's status.</summary>
    public SourceHealthSnapshot Snapshot
    {
        get
        {
            lock (_lock)
            {
                return _snapshot;
            }
        }
    }

    /// <summary>The source reached its broker or URL.</summary>
    public void Connected() => Update(s => s with { Connected = true });

    /// <summary>The source lost, or could not make, its connection; <paramref name="error"/> says why.</summary>
    public void Disconnected(string error, DateTimeOffset at) =>
        Update(s => s with { Connected = false, LastError = error, LastErrorTime = at });

    /// <summary>Events were appended from a message (or a poll found a change).</summary>
    public void Received(int events, DateTimeOffset at) =>
        Update(s => s with { LastEvent = at, Events = s.Events + events });

    /// <summary>A polling source asked its URL.</summary>
    public void Polled(DateTimeOffset at) => Update(s => s with { LastPoll = at });

    /// <summary>How many messages the source is behind its broker, when the broker says (Kafka).</summary>
    public void Lag(long? lag) => Update(s => s with { Lag = lag });

    /// <summary>A problem that does not stop the source (a message that claimed to be a CloudEvent and was not).</summary>
    public void Error(string error, DateTimeOffset at) => Update(s => s with { LastError = error, LastErrorTime = at });

    private void Update(Func<SourceHealthSnapshot, SourceHealthSnapshot> change)
    {
        lock (_lock)
        {
            _snapshot = change(_snapshot);
        }
    }
}

/// <summary>A source's health at one moment.</summary>
public sealed record SourceHealthSnapshot(
    bool Connected,
    DateTimeOffset? LastEvent,
    DateTimeOffset? LastPoll,
    long? Lag,
    string? LastError,
    DateTimeOffset? LastErrorTime,
    long Events);
