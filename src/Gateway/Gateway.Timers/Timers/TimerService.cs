using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using Gateway.Storage;
using Gateway.Subscriptions;

namespace Gateway.Timers;

/// <summary>
/// Fires the timers of subscriptions whose <c>config</c> has one: at each fire time it appends one event per timer to
/// the event log, addressed to that subscription alone (<see cref="TimerTarget"/>), and delivery takes it from there
/// with its usual guarantees. Of several nodes, only the one that drives a subscription's retries fires its timer,
/// checked at every fire time as ownership moves. Fire times that pass while a timer cannot fire (the gateway is
/// down, or it is paused or disabled) are skipped, not made up later, as OpenWhisk's alarms provider does.
/// </summary>
internal sealed partial class TimerService(
    ITimerSubscriptions subscriptions, IEventLog log, ILogPartitions partitions, TimeProvider time, ILogger<TimerService> logger)
    : BackgroundService
{
    private static readonly TimeSpan ErrorPause = TimeSpan.FromSeconds(1);

    /// <summary>Wakes at least this often, well within the longest delay a timer supports.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    private readonly Dictionary<string, ScheduledTimer> _timers = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // The clock is read before the subscriptions, so a timer never starts later than the change that made
                // it; waits end at instants, so time that passes meanwhile shortens them.
                var now = time.GetUtcNow();
                Reconcile(now);
                var fired = await FireDueAsync(now, stoppingToken);
                await WaitAsync(fired ? _timers.Values.Min(t => t.Next) : now + ErrorPause, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>
    /// Starts timers of new subscriptions, restarts those of updated ones (a new document) and drops those of deleted
    /// ones or of subscriptions that no longer have a timer.
    /// </summary>
    private void Reconcile(DateTimeOffset now)
    {
        var live = subscriptions.Timed.ToDictionary(s => s.Id, StringComparer.Ordinal);
        foreach (var gone in _timers.Keys.Where(id => !live.ContainsKey(id)).ToList())
        {
            _timers.Remove(gone);
        }

        foreach (var subscription in live.Values)
        {
            if (_timers.TryGetValue(subscription.Id, out var running) && ReferenceEquals(running.Subscription, subscription))
            {
                continue;
            }

            var errors = new List<ValidationError>();
            if (TimerConfig.Read(subscription.Config!, errors) is { } config)
            {
                var schedule = new TimerSchedule(config, now);
                _timers[subscription.Id] = new ScheduledTimer(subscription, config, schedule, schedule.NextAfter(now));
            }
            else
            {
                // A stored subscription that no longer validates; remembered so that it is reported once.
                _timers[subscription.Id] = new ScheduledTimer(subscription, null, null, null);
                Log.InvalidConfig(logger, subscription.Id, string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")));
            }
        }
    }

    /// <summary>
    /// Appends one event for each timer that is due, in one commit. False when the append failed: the timers stay
    /// due and are fired after a pause.
    /// </summary>
    private async Task<bool> FireDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = _timers.Values.Where(t => t.Next <= now).ToList();
        var events = new List<CloudEvent>();
        foreach (var timer in due.Where(t => partitions.Owns(t.Subscription.Id) && subscriptions.IsAccepting(t.Subscription.Id)))
        {
            events.Add(TimerEvents.Create(timer.Subscription, timer.Config!.Data, timer.Next!.Value));
        }

        if (events.Count > 0)
        {
            try
            {
                await log.AppendAsync(events, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.AppendFailed(logger, events.Count, ex);
                return false;
            }
        }

        foreach (var timer in due)
        {
            var next = timer.Schedule!.NextAfter(timer.Next!.Value);
            _timers[timer.Subscription.Id] = timer with { Next = next < now ? timer.Schedule.NextAfter(now) : next };
        }

        return true;
    }

    /// <summary>Waits until <paramref name="until"/> (null: no timer is due), or until a subscription changes.</summary>
    private async Task WaitAsync(DateTimeOffset? until, CancellationToken stoppingToken)
    {
        var delay = until is { } instant ? instant - time.GetUtcNow() : LongestWait;
        delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay < LongestWait ? delay : LongestWait;
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var changed = subscriptions.WaitForChangeAsync(wake.Token);
        var elapsed = Task.Delay(delay, time, wake.Token);

        // The delay counts from when it was set up; if the clock passed the instant meanwhile (a virtual clock jumps
        // at any moment), the wait is already over.
        if (until is null || time.GetUtcNow() < until)
        {
            await Task.WhenAny(changed, elapsed);
        }

        await wake.CancelAsync();
        stoppingToken.ThrowIfCancellationRequested();
    }

    /// <summary>One subscription's timer and its next fire time (null: it has no more, or its config is invalid).</summary>
    private sealed record ScheduledTimer(Subscription Subscription, TimerConfig? Config, TimerSchedule? Schedule, DateTimeOffset? Next);

    private static partial class Log
    {
        [LoggerMessage(60, LogLevel.Error, "The timer of subscription {SubscriptionId} is not started, its config is invalid: {Errors}")]
        public static partial void InvalidConfig(ILogger logger, string subscriptionId, string errors);

        [LoggerMessage(61, LogLevel.Warning, "Appending {Count} timer events to the event log failed; trying again")]
        public static partial void AppendFailed(ILogger logger, int count, Exception exception);
    }
}
