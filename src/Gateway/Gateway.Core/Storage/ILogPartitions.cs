namespace Gateway.Storage;

/// <summary>
/// Which partitions of the event log this node dispatches. One node alone owns them all (SQLite); several nodes on
/// one PostgreSQL database lease them, so each event is dispatched by one live node at a time.
/// </summary>
internal interface ILogPartitions
{
    /// <summary>The partitions this node dispatches now.</summary>
    IReadOnlyCollection<int> Owned { get; }

    /// <summary>
    /// Whether this node does the work named by <paramref name="key"/> that one node at a time must do: a
    /// subscription's retries and its timer (key: the subscription's id), a polled source (<c>source:{id}</c>). Each
    /// key belongs to the partition it hashes to, so exactly one live node owns it.
    /// </summary>
    bool Owns(string key);

    /// <summary>Completes when <see cref="Owned"/> changed since the last call, or the token fires.</summary>
    Task WaitForChangeAsync(CancellationToken cancellationToken);
}

/// <summary>A gateway alone on its store: one partition, always its own.</summary>
internal sealed class SingleNodePartitions : ILogPartitions
{
    public IReadOnlyCollection<int> Owned { get; } = [0];

    public bool Owns(string key) => true;

    public Task WaitForChangeAsync(CancellationToken cancellationToken) =>
        Task.Delay(Timeout.Infinite, cancellationToken);
}
