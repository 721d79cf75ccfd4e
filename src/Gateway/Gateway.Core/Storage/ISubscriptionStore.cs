using Gateway.Subscriptions;

namespace Gateway.Storage;

/// <summary>Where subscriptions live. Narrow on purpose: SQLite and PostgreSQL implement the same few calls.</summary>
internal interface ISubscriptionStore
{
    /// <summary>
    /// Every stored subscription in the order they were added, with its state. Documents come back equal as JSON
    /// (<see cref="Subscriptions.SubscriptionJson.SameDocument"/>), not necessarily with their members in order.
    /// </summary>
    Task<IReadOnlyList<StoredSubscription>> ListAsync(CancellationToken cancellationToken);

    /// <summary>One stored subscription, or null when none has that id.</summary>
    Task<StoredSubscription?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>Stores a new subscription.</summary>
    Task AddAsync(Subscription subscription, CancellationToken cancellationToken);

    /// <summary>Replaces a stored subscription and enables it again; false when none has that id.</summary>
    Task<bool> ReplaceAsync(Subscription subscription, CancellationToken cancellationToken);

    /// <summary>Deletes a subscription; false when none has that id.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Marks a subscription disabled (a sink answered 410 Gone), so it stays disabled across restarts.</summary>
    Task DisableAsync(string id, string reason, CancellationToken cancellationToken);

    /// <summary>Pauses or resumes a subscription (an OpenWhisk feed's PAUSE and UNPAUSE).</summary>
    Task SetPausedAsync(string id, bool paused, CancellationToken cancellationToken);
}

/// <summary>A stored subscription and its persisted state; <paramref name="StateChanged"/> is when that state last changed.</summary>
internal sealed record StoredSubscription(Subscription Subscription, string? DisabledReason, bool Paused, DateTimeOffset StateChanged);
