using System.Collections.Immutable;
using System.Threading.Channels;
using Gateway.Filters;
using Gateway.Protocols.CloudEvents;
using Gateway.Subscriptions;
using Gateway.Timers;

namespace Gateway.Delivery;

/// <summary>The persisted state a subscription starts in.</summary>
internal sealed record StoredState(string? DisabledReason, bool Paused, DateTimeOffset StateChanged);

/// <summary>
/// The live subscriptions and their workers. The dispatcher matches against an immutable snapshot that changes are
/// swapped into atomically, so matching takes no lock.
/// </summary>
internal sealed class DeliveryEngine(DeliveryContext context) : IAsyncDisposable
{
    private readonly Lock _publishing = new();
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private ImmutableDictionary<string, SubscriptionWorker> _workers = ImmutableDictionary<string, SubscriptionWorker>.Empty;
    private SubscriptionWorker[] _snapshot = [];
    private SubscriptionIndex<SubscriptionWorker> _index = new([]);

    /// <summary>Every live subscription's worker, in no particular order.</summary>
    public IReadOnlyCollection<SubscriptionWorker> Workers => Volatile.Read(ref _snapshot);

    public SubscriptionWorker? Find(string id) => Volatile.Read(ref _workers).GetValueOrDefault(id);

    /// <summary>Starts delivering to a new subscription in its stored state, or replaces an existing one.</summary>
    public async ValueTask ApplyAsync(ValidatedSubscription subscription, StoredState? stored = null)
    {
        if (Find(subscription.Subscription.Id) is { } existing)
        {
            await existing.UpdateAsync(subscription);
            Publish(_workers);
            return;
        }

        Publish(_workers.SetItem(subscription.Subscription.Id, new SubscriptionWorker(subscription, stored ?? new StoredState(null, false, context.Time.GetUtcNow()), context)));
    }

    /// <summary>Stops delivering to a deleted subscription and forgets its retries and dead letters.</summary>
    public async ValueTask RemoveAsync(string id, CancellationToken cancellationToken)
    {
        if (Find(id) is { } worker)
        {
            Publish(_workers.Remove(id));
            await worker.RemoveAsync();
        }

        // Events it parked just before may still be on their way to the retry store.
        await context.Parking.FlushAsync(cancellationToken);
        await context.Deliveries.DeleteSubscriptionAsync(id, cancellationToken);
    }

    /// <summary>Completes when a subscription was added, replaced or removed since the last call, or the token fires.</summary>
    public Task WaitForChangeAsync(CancellationToken cancellationToken) =>
        _changed.Reader.ReadAsync(cancellationToken).AsTask();

    /// <summary>
    /// Where a logged event goes, and in what form. An event addressed to one subscription (<see cref="TimerTarget"/>)
    /// goes to it alone, if it still has a timer, takes events and its filter passes (SUB-26 to SUB-28), and leaves
    /// without the internal attribute; any other event goes to every subscription that matches it.
    /// </summary>
    public (CloudEvent Event, List<SubscriptionWorker> Workers) Route(CloudEvent cloudEvent)
    {
        if (!cloudEvent.TryGetAttribute(TimerTarget.Attribute, out _))
        {
            return (cloudEvent, Match(cloudEvent));
        }

        var delivered = cloudEvent.WithoutExtension(TimerTarget.Attribute);
        if (TimerTarget.Of(cloudEvent) is not { } target)
        {
            return (delivered, Match(delivered));
        }

        var addressed = Find(target);
        return addressed is { IsAccepting: true } && TimerConfig.IsTimer(addressed.Subscription) && addressed.Filter.Matches(delivered)
            ? (delivered, [addressed])
            : (delivered, []);
    }

    /// <summary>The workers whose subscriptions take <paramref name="cloudEvent"/>: found through the index, then
    /// those that are paused or disabled left out.</summary>
    public List<SubscriptionWorker> Match(CloudEvent cloudEvent)
    {
        var matched = new List<SubscriptionWorker>();
        Volatile.Read(ref _index).Match(cloudEvent, matched);
        matched.RemoveAll(worker => !worker.IsAccepting);
        return matched;
    }

    public async ValueTask DisposeAsync()
    {
        var workers = Volatile.Read(ref _snapshot);
        Publish(ImmutableDictionary<string, SubscriptionWorker>.Empty);
        foreach (var worker in workers)
        {
            await worker.DisposeAsync();
        }
    }

    /// <summary>
    /// Swaps in a new snapshot and a new index built from the workers' current filters. Subscriptions with a timer
    /// are left out of the index: they get only the events their timer generates (README, "Timers").
    /// </summary>
    private void Publish(ImmutableDictionary<string, SubscriptionWorker> workers)
    {
        lock (_publishing)
        {
            Volatile.Write(ref _workers, workers);
            Volatile.Write(ref _snapshot, [.. workers.Values]);
            Volatile.Write(ref _index, new SubscriptionIndex<SubscriptionWorker>(
                workers.Values.Where(w => !TimerConfig.IsTimer(w.Subscription)).Select(w => (w, w.Filter))));
        }

        _changed.Writer.TryWrite(true);
    }
}
