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

    public void Connected() => Update(s => s with { Connected = true });

    public void Disconnected(string error, DateTimeOffset at) =>
        Update(s => s with { Connected = false, LastError = error, LastErrorTime = at });

    /// <summary>Events were appended from a message (or a poll found a change).</summary>
    public void Received(int events, DateTimeOffset at) =>
        Update(s => s with { LastEvent = at, Events = s.Events + events });

    public void Polled(DateTimeOffset at) => Update(s => s with { LastPoll = at });

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
