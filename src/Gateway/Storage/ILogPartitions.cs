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
    /// Whether this node drives a subscription's retries: they belong to the partition its id hashes to, so exactly
    /// one live node takes them from the retry store.
    /// </summary>
    bool OwnsRetriesOf(string subscriptionId);

    /// <summary>Completes when <see cref="Owned"/> changed since the last call, or the token fires.</summary>
    Task WaitForChangeAsync(CancellationToken cancellationToken);
}

/// <summary>A gateway alone on its store: one partition, always its own.</summary>
internal sealed class SingleNodePartitions : ILogPartitions
{
    public IReadOnlyCollection<int> Owned { get; } = [0];

    public bool OwnsRetriesOf(string subscriptionId) => true;

    public Task WaitForChangeAsync(CancellationToken cancellationToken) =>
        Task.Delay(Timeout.Infinite, cancellationToken);
}
