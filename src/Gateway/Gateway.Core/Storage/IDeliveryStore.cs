using Gateway.Protocols.CloudEvents;

namespace Gateway.Storage;

/// <summary>
/// The retry store and the dead letters: where deliveries that did not succeed at once wait, durably, so the
/// dispatcher's checkpoint can move past their events.
/// </summary>
internal interface IDeliveryStore
{
    /// <summary>Stores a delivery to try again at <see cref="RetryEntry.Due"/>; returns its id.</summary>
    Task<long> AddRetryAsync(RetryEntry entry, CancellationToken cancellationToken);

    /// <summary>Stores many deliveries in one transaction (events parked behind a full queue).</summary>
    Task AddRetriesAsync(IReadOnlyList<RetryEntry> entries, CancellationToken cancellationToken);

    /// <summary>Updates the attempts, due time and last failure of a stored retry.</summary>
    Task UpdateRetryAsync(RetryEntry entry, CancellationToken cancellationToken);

    /// <summary>Removes retries that finally succeeded, in one transaction.</summary>
    Task RemoveRetriesAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> retries of a subscription due at <paramref name="now"/>, earliest first.</summary>
    Task<IReadOnlyList<RetryEntry>> DueRetriesAsync(string subscriptionId, DateTimeOffset now, int max, CancellationToken cancellationToken);

    /// <summary>The earliest due time of a subscription's retries, or null when it has none.</summary>
    Task<DateTimeOffset?> NextDueAsync(string subscriptionId, CancellationToken cancellationToken);

    /// <summary>How many deliveries of a subscription wait in the retry store, and since when the oldest does.</summary>
    Task<(long Count, DateTimeOffset? Oldest)> BacklogAsync(string subscriptionId, CancellationToken cancellationToken);

    /// <summary>Stores a dead letter, removing the retry it came from (if any) in the same transaction.</summary>
    Task AddDeadLetterAsync(DeadLetter deadLetter, long? fromRetry, CancellationToken cancellationToken);

    /// <summary>A subscription's dead letters, oldest first.</summary>
    Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(string subscriptionId, CancellationToken cancellationToken);

    /// <summary>Moves every dead letter of a subscription back to the retry store, due now; returns how many.</summary>
    Task<int> RedriveAsync(string subscriptionId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Removes a deleted subscription's retries and dead letters.</summary>
    Task DeleteSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken);
}

/// <summary>A delivery waiting in the retry store.</summary>
/// <param name="Id">The store's id (0 before it is stored).</param>
/// <param name="SubscriptionId">The subscription.</param>
/// <param name="Event">The event, unchanged.</param>
/// <param name="Attempts">Attempts made so far.</param>
/// <param name="FirstAttempt">When the first attempt was made (or the delivery was first parked).</param>
/// <param name="Due">The earliest time of the next attempt.</param>
/// <param name="LastCode">The last failure's protocol code.</param>
/// <param name="LastReason">The last failure's reason.</param>
internal sealed record RetryEntry(
    long Id,
    string SubscriptionId,
    CloudEvent Event,
    int Attempts,
    DateTimeOffset FirstAttempt,
    DateTimeOffset Due,
    int? LastCode = null,
    string? LastReason = null);

/// <summary>An event given up on, with why.</summary>
internal sealed record DeadLetter(
    string SubscriptionId,
    CloudEvent Event,
    string Reason,
    int? Code,
    int Attempts,
    DateTimeOffset Time,
    string? Error);
