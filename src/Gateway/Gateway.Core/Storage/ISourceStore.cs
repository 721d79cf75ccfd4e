namespace Gateway.Storage;

/// <summary>
/// Sources declared through the <c>/sources</c> API: their documents (credential included), and the little state a
/// source keeps between runs (an HTTP poll's last <c>ETag</c>). Brokers keep their own positions (Kafka offsets,
/// JetStream consumers), so those are not here.
/// </summary>
internal interface ISourceStore
{
    /// <summary>Every stored source document, in the order they were added.</summary>
    Task<IReadOnlyList<StoredSource>> ListAsync(CancellationToken cancellationToken);

    /// <summary>One stored source, or null.</summary>
    Task<StoredSource?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>Stores a new source; false when the id is taken.</summary>
    Task<bool> AddAsync(string id, string document, CancellationToken cancellationToken);

    /// <summary>Deletes a source and its state; false when none has that id.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Replaces a source's state.</summary>
    Task SaveStateAsync(string id, string state, CancellationToken cancellationToken);
}

/// <summary>A stored source: its id, its document, and its state (null until it saved one).</summary>
internal sealed record StoredSource(string Id, string Document, string? State);
