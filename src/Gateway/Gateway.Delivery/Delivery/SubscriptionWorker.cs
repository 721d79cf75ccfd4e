using System.Collections.Concurrent;
using System.Threading.Channels;
using Gateway.Filters;
using Gateway.Protocols.CloudEvents;
using Gateway.Storage;
using Gateway.Subscriptions;

namespace Gateway.Delivery;

/// <summary>
/// Delivers one subscription's events: waits for the sink's consent (WH-13), makes first attempts from a bounded
/// queue, and drives the retries it keeps in the retry store. Nothing it accepted is dropped: every event ends
/// delivered, stored for retry, or dead-lettered, and only then is its ticket released.
/// </summary>
internal sealed partial class SubscriptionWorker : IAsyncDisposable
{
    private const int QueueCapacity = 1024;
    private static readonly TimeSpan MaxConsentBackoff = TimeSpan.FromMinutes(5);

    private readonly Channel<DeliveryItem> _queue = Channel.CreateBounded<DeliveryItem>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Channel<bool> _retriesChanged = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly DeliveryContext _context;
    private readonly InFlightTasks _inFlight = new();

    // Retries delivered in the current round, removed from the store together when the round ends.
    private readonly ConcurrentQueue<long> _deliveredRetries = new();
    private readonly Task _deliverLoop;
    private readonly Task _retryLoop;
    private DeliveryTarget _target;
    private SubscriptionStatus _status;
    private volatile bool _paused;
    private volatile bool _removed;
    private long _stateChanged;

    public SubscriptionWorker(ValidatedSubscription subscription, StoredState stored, DeliveryContext context)
    {
        _context = context;
        _status = stored.DisabledReason is null
            ? SubscriptionStatus.Pending
            : new SubscriptionStatus(SubscriptionStates.Disabled, stored.DisabledReason);
        _paused = stored.Paused;
        _stateChanged = stored.StateChanged.ToUnixTimeMilliseconds();
        _target = new DeliveryTarget(subscription, context.Protocols);
        StartConsent(_target);
        _deliverLoop = Task.Run(DeliverLoopAsync);
        _retryLoop = Task.Run(RetryLoopAsync);
    }

    public Subscription Subscription => Volatile.Read(ref _target).Subscription;

    /// <summary>The status; a paused subscription shows <c>paused</c> over whatever its sink's state is.</summary>
    public SubscriptionStatus Status =>
        _paused && Volatile.Read(ref _status).State != SubscriptionStates.Disabled
            ? Volatile.Read(ref _status) with { State = SubscriptionStates.Paused }
            : Volatile.Read(ref _status);

    /// <summary>When the subscription was created, disabled, paused or resumed last.</summary>
    public DateTimeOffset StateChanged => DateTimeOffset.FromUnixTimeMilliseconds(Interlocked.Read(ref _stateChanged));

    /// <summary>A sink answered 410 Gone; only a full update enables the subscription again.</summary>
    public bool IsDisabled => Volatile.Read(ref _status).State == SubscriptionStates.Disabled;

    /// <summary>Paused through the OpenWhisk feed's PAUSE.</summary>
    public bool IsPaused => _paused;

    /// <summary>Paused or disabled: takes no new events and makes no attempts.</summary>
    private bool IsStopped => _paused || IsDisabled;

    private IDeliveryStore Store => _context.Deliveries;

    /// <summary>Events queued for a first attempt, and when the oldest was queued.</summary>
    public (int Count, DateTimeOffset? Oldest) Queued =>
        (_queue.Reader.Count, _queue.Reader.TryPeek(out var head) ? head.Queued : null);

    /// <summary>The compiled filter of the current version of the subscription.</summary>
    public SubscriptionFilter Filter => Volatile.Read(ref _target).Validated.Filter;

    /// <summary>False while paused or disabled: the subscription takes no new events.</summary>
    public bool IsAccepting => !IsStopped;

    /// <summary>
    /// Pauses or resumes delivery. Events accepted while paused are not matched, so they are never delivered to this
    /// subscription; events already queued or waiting for a retry are delivered after the resume.
    /// </summary>
    public void SetPaused(bool paused)
    {
        _paused = paused;
        Interlocked.Exchange(ref _stateChanged, _context.Time.GetUtcNow().ToUnixTimeMilliseconds());
        _retriesChanged.Writer.TryWrite(true);
    }

    /// <summary>
    /// Takes an event for delivery. When the queue is full (a slow sink, or one that has not granted consent yet)
    /// the event goes to the retry store, due now, so one sink never stalls the dispatcher.
    /// </summary>
    public async ValueTask AcceptAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        if (_removed)
        {
            // Deleted while the dispatcher held an older snapshot: the event has nowhere to go for this subscription.
            item.Ticket.Release();
            return;
        }

        if (!_queue.Writer.TryWrite(item))
        {
            await ParkAsync(item, cancellationToken);
        }
    }

    /// <summary>Sends the event to the retry store, due now; its ticket is released once it is stored.</summary>
    private ValueTask ParkAsync(DeliveryItem item, CancellationToken cancellationToken = default) =>
        _context.Parking.ParkAsync(
            new RetryEntry(0, Subscription.Id, item.Event, 0, item.Queued, item.Queued, null, "waiting"),
            item.Ticket,
            RetriesChanged,
            cancellationToken);

    /// <summary>Another node disabled the subscription (its sink answered 410 Gone there).</summary>
    public void MarkDisabled(string reason)
    {
        UpdateStatus(Volatile.Read(ref _target), s => s with { State = SubscriptionStates.Disabled, Reason = reason });
        Interlocked.Exchange(ref _stateChanged, _context.Time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    /// <summary>Wakes the retry pump: the retry store changed outside this worker (a redrive).</summary>
    public void RetriesChanged() => _retriesChanged.Writer.TryWrite(true);

    /// <summary>Replaces the subscription (full update); enables it again and asks the new sink for consent.</summary>
    public async ValueTask UpdateAsync(ValidatedSubscription subscription)
    {
        var target = new DeliveryTarget(subscription, _context.Protocols);
        var previous = Interlocked.Exchange(ref _target, target);
        Volatile.Write(ref _status, SubscriptionStatus.Pending);
        StartConsent(target);
        Interlocked.Exchange(ref _stateChanged, _context.Time.GetUtcNow().ToUnixTimeMilliseconds());
        _retriesChanged.Writer.TryWrite(true);
        await previous.DisposeAsync();
    }

    /// <summary>
    /// Stops at shutdown. Queued events are left alone: the checkpoint has not passed them, so the next start
    /// delivers them again.
    /// </summary>
    public ValueTask DisposeAsync() => StopAsync(releaseQueued: false);

    /// <summary>Stops for good (the subscription was deleted): queued events no longer have anywhere to go.</summary>
    public ValueTask RemoveAsync()
    {
        _removed = true;
        return StopAsync(releaseQueued: true);
    }

    private async ValueTask StopAsync(bool releaseQueued)
    {
        await _stop.CancelAsync();
        _queue.Writer.TryComplete();
        await Task.WhenAll(_deliverLoop, _retryLoop);
        await _inFlight.WaitAsync();
        while (releaseQueued && _queue.Reader.TryRead(out var item))
        {
            item.Ticket.Release();
        }

        await Volatile.Read(ref _target).DisposeAsync();
        _stop.Dispose();
    }

    /// <summary>Starts asking the sink for consent; only once the target is current, so its status updates land.</summary>
    private void StartConsent(DeliveryTarget target) => _ = Task.Run(() => ObtainConsentAsync(target));

    /// <summary>WH-13: asks the sink until it grants, backing off, rather than failing for good.</summary>
    private async Task ObtainConsentAsync(DeliveryTarget target)
    {
        var backoff = TimeSpan.FromSeconds(1);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(target.Retired, _stop.Token);
        try
        {
            while (true)
            {
                var validation = await target.Sender.ValidateSinkAsync(cancel.Token);
                if (validation.Granted)
                {
                    UpdateStatus(target, s => s.State == SubscriptionStates.Disabled ? s : s with { State = SubscriptionStates.Active, Reason = null });
                    target.Granted.TrySetResult();
                    return;
                }

                UpdateStatus(target, s => s.State == SubscriptionStates.Disabled ? s : s with { State = SubscriptionStates.ValidationFailed, Reason = validation.Reason });
                Log.ValidationRefused(_context.Logger, target.Subscription.Id, validation.Reason, backoff);
                await Task.Delay(backoff, _context.Time, cancel.Token);
                backoff = backoff * 2 < MaxConsentBackoff ? backoff * 2 : MaxConsentBackoff;
            }
        }
        catch (OperationCanceledException)
        {
            // Retired or shutting down: a newer target asks for itself.
        }
    }

    private async Task DeliverLoopAsync()
    {
        try
        {
            await foreach (var item in _queue.Reader.ReadAllAsync(_stop.Token))
            {
                if (IsStopped)
                {
                    // Queued before the pause or the 410: it waits in the retry store for the resume.
                    await ParkAsync(item, _stop.Token);
                    continue;
                }

                var target = await WaitForConsentAsync();
                await target.Slots.WaitAsync(_stop.Token);
                _inFlight.Run(() => FirstAttemptAsync(target, item));
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Shutdown; undelivered events stay in the log behind the checkpoint.
        }
    }

    private async Task FirstAttemptAsync(DeliveryTarget target, DeliveryItem item)
    {
        try
        {
            var now = _context.Time.GetUtcNow();
            if (await AttemptAsync(target, new Attempt(item.Event, 0, now, null)))
            {
                item.Ticket.Release();
            }
            else if (!_stop.IsCancellationRequested)
            {
                // Its outcome could not be stored: park it (due now) rather than pin the checkpoint until a restart.
                // Parking keeps trying until the store answers; the event may be delivered twice, never lost.
                await ParkAsync(item, _stop.Token);
            }
        }
        finally
        {
            target.Slots.Release();
        }
    }

    private async Task<DeliveryTarget> WaitForConsentAsync()
    {
        while (true)
        {
            var target = Volatile.Read(ref _target);
            try
            {
                using var cancel = CancellationTokenSource.CreateLinkedTokenSource(target.Retired, _stop.Token);
                await target.Granted.Task.WaitAsync(cancel.Token);
                return target;
            }
            catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
            {
                // Replaced by an update while waiting: wait for the new version's consent.
            }
        }
    }

    private void UpdateStatus(DeliveryTarget target, Func<SubscriptionStatus, SubscriptionStatus> change)
    {
        lock (_queue)
        {
            if (ReferenceEquals(Volatile.Read(ref _target), target))
            {
                Volatile.Write(ref _status, change(_status));
            }
        }
    }
}
