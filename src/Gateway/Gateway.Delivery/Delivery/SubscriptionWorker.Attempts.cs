using System.Globalization;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using Gateway.Storage;
using Gateway.Subscriptions;

namespace Gateway.Delivery;

/// <summary>One attempt and what follows from its outcome (the README's "Delivery guarantees").</summary>
internal sealed partial class SubscriptionWorker
{
    private const int MaxErrorLength = 512;

    /// <summary>
    /// Makes one attempt and settles it: delivered, stored for retry, or dead-lettered. Returns false only when it
    /// could not settle (shutdown, or the store failed); the event then stays behind the checkpoint.
    /// </summary>
    private async Task<bool> AttemptAsync(DeliveryTarget target, Attempt attempt)
    {
        try
        {
            await SettleAsync(target, attempt, await SendAsync(target, attempt));
            return true;
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.NotSettled(_context.Logger, attempt.Event.Id, target.Subscription.Id, ex);
            return false;
        }
    }

    private async Task<DeliveryResult?> SendAsync(DeliveryTarget target, Attempt attempt)
    {
        var now = _context.Time.GetUtcNow();
        if (IsExpired(attempt.Event, now) || _context.Pauses.PausedUntil(target.Origin, now) is not null)
        {
            // Settled without sending: expired events are not delivered, paused origins get nothing (WH-06).
            return null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(target.Policy.Timeout);
        try
        {
            return await target.Sender.SendAsync(attempt.Event, timeout.Token);
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            return new DeliveryResult(DeliveryOutcome.Retry, Reason: $"no answer within {target.Policy.Timeout}");
        }
    }

    private async Task SettleAsync(DeliveryTarget target, Attempt attempt, DeliveryResult? sent)
    {
        var now = _context.Time.GetUtcNow();
        if (sent is not { } result)
        {
            if (IsExpired(attempt.Event, now))
            {
                await DeadLetterAsync(target, attempt, "expired", null, "the event's expirytime has passed");
            }
            else
            {
                await RetryLaterAsync(attempt, _context.Pauses.PausedUntil(target.Origin, now) ?? now, 429, "the sink asked for a pause (429)");
            }

            return;
        }

        attempt = attempt with { Attempts = attempt.Attempts + 1 };
        if (result.Outcome == DeliveryOutcome.Delivered)
        {
            if (attempt.RetryId is { } retryId)
            {
                _deliveredRetries.Enqueue(retryId);
            }

            UpdateStatus(target, s => s with { LastSuccess = now, ConsecutiveFailures = 0 });
            if (result.Reason is { } problem)
            {
                Log.ReplyIgnored(_context.Logger, attempt.Event.Id, target.Subscription.Id, problem);
            }

            if (result.Reply is { } reply)
            {
                await RouteReplyAsync(target, attempt.Event, reply);
            }

            return;
        }

        var reason = result.Reason ?? result.Outcome.ToString();
        UpdateStatus(target, s => s with
        {
            LastFailure = new DeliveryFailure(now, result.Code, reason),
            ConsecutiveFailures = s.ConsecutiveFailures + 1,
        });
        switch (result.Outcome)
        {
            case DeliveryOutcome.Gone:
                await DisableAsync(target, reason);
                await RetryLaterAsync(attempt, now, result.Code, reason);
                break;
            case DeliveryOutcome.Permanent:
                await DeadLetterAsync(target, attempt, "permanent-failure", result.Code, reason);
                break;
            default:
                await RetryOrGiveUpAsync(target, attempt, result, reason, now);
                break;
        }
    }

    private async Task RetryOrGiveUpAsync(DeliveryTarget target, Attempt attempt, DeliveryResult result, string reason, DateTimeOffset now)
    {
        var policy = target.Policy;
        if (result.NotBefore is { } notBefore && notBefore > now)
        {
            if (notBefore - now > policy.RetryAfterMax)
            {
                await DeadLetterAsync(target, attempt, "retry-after-too-long", result.Code,
                    $"{reason}; Retry-After asks for {notBefore - now:g}, longer than delivery.retryaftermax {policy.RetryAfterMax:g}");
                return;
            }

            if (result.Code == 429 && target.Origin is { } origin)
            {
                _context.Pauses.Pause(origin, notBefore);
            }
        }

        if (attempt.Attempts > policy.Retry)
        {
            await DeadLetterAsync(target, attempt, "retries-exhausted", result.Code, reason);
        }
        else if (now - attempt.FirstAttempt >= policy.Ttl)
        {
            await DeadLetterAsync(target, attempt, "ttl-exceeded", result.Code, reason);
        }
        else
        {
            // WH-06: never sooner than Retry-After.
            var due = now + policy.BackoffAfter(attempt.Attempts, Random.Shared.NextDouble());
            await RetryLaterAsync(attempt, result.NotBefore is { } later && later > due ? later : due, result.Code, reason);
        }
    }

    private async Task RetryLaterAsync(Attempt attempt, DateTimeOffset due, int? code, string reason)
    {
        var entry = new RetryEntry(
            attempt.RetryId ?? 0, Subscription.Id, attempt.Event, attempt.Attempts, attempt.FirstAttempt, due, code, reason);
        if (attempt.RetryId is null)
        {
            await Store.AddRetryAsync(entry, _stop.Token);
            _retriesChanged.Writer.TryWrite(true);
        }
        else
        {
            await Store.UpdateRetryAsync(entry, _stop.Token);
        }
    }

    /// <summary>
    /// Gives up on an event: it keeps its id and attributes and gains the <c>deadletter*</c> extensions. It goes to
    /// <c>delivery.deadletter</c> when there is one and that sink takes it; otherwise into the store.
    /// </summary>
    private async Task DeadLetterAsync(DeliveryTarget target, Attempt attempt, string reason, int? code, string error)
    {
        var now = _context.Time.GetUtcNow();
        var letter = new DeadLetter(Subscription.Id, attempt.Event, reason, code, attempt.Attempts, now, Truncate(error));
        if (target.DeadLetterSender is { } sender)
        {
            var result = await sender.SendAsync(DeadLetters.ToEvent(letter), _stop.Token);
            if (result.Outcome == DeliveryOutcome.Delivered)
            {
                if (attempt.RetryId is { } retryId)
                {
                    _deliveredRetries.Enqueue(retryId);
                }

                Log.DeadLettered(_context.Logger, attempt.Event.Id, Subscription.Id, reason, "the dead-letter sink");
                return;
            }

            letter = letter with { Error = Truncate($"{error}; the dead-letter sink failed too: {result.Reason}") };
        }

        await Store.AddDeadLetterAsync(letter, attempt.RetryId, _stop.Token);
        Log.DeadLettered(_context.Logger, attempt.Event.Id, Subscription.Id, reason, "the store");
    }

    /// <summary>
    /// Reply chaining: the sink's reply becomes a new event in the log, one hop further. Past the hop limit it is
    /// dead-lettered instead, so a loop of apps ends.
    /// </summary>
    private async Task RouteReplyAsync(DeliveryTarget target, CloudEvent original, CloudEvent reply)
    {
        var hops = Hops(original) + 1;
        if (hops > _context.HopLimit)
        {
            await Store.AddDeadLetterAsync(
                new DeadLetter(Subscription.Id, reply, "hop-limit-exceeded", null, 0, _context.Time.GetUtcNow(),
                    $"the reply would be hop {hops}; the limit is {_context.HopLimit} (Gateway:Delivery:HopLimit)"),
                null,
                _stop.Token);
            Log.DeadLettered(_context.Logger, reply.Id, target.Subscription.Id, "hop-limit-exceeded", "the store");
            return;
        }

        await _context.Log.AppendAsync([reply.WithExtension(DeadLetters.HopsAttribute, CloudEventValue.FromInteger(hops))], _stop.Token);
    }

    private async Task DisableAsync(DeliveryTarget target, string reason)
    {
        await _context.Subscriptions.DisableAsync(target.Subscription.Id, reason, _stop.Token);
        UpdateStatus(target, s => s with { State = SubscriptionStates.Disabled, Reason = reason });
        Interlocked.Exchange(ref _stateChanged, _context.Time.GetUtcNow().ToUnixTimeMilliseconds());
        Log.Disabled(_context.Logger, target.Subscription.Id, reason);
    }

    private static int Hops(CloudEvent cloudEvent) =>
        cloudEvent.TryGetAttribute(DeadLetters.HopsAttribute, out var value)
        && int.TryParse(value.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var hops)
            ? hops
            : 0;

    /// <summary>The expirytime extension: intermediaries may discard expired events (§10).</summary>
    private static bool IsExpired(CloudEvent cloudEvent, DateTimeOffset now) =>
        cloudEvent.TryGetAttribute("expirytime", out var expiry)
        && DateTimeOffset.TryParse(expiry.Text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
        && at <= now;

    /// <summary>Error texts become attribute values: one line, no control characters (§2.2), bounded.</summary>
    private static string Truncate(string text)
    {
        var clean = string.Create(Math.Min(text.Length, MaxErrorLength), text, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? ' ' : source[i];
            }
        });
        return clean;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Sink of subscription {SubscriptionId} refused consent: {Reason}; asking again in {Backoff}")]
        public static partial void ValidationRefused(ILogger logger, string subscriptionId, string? reason, TimeSpan backoff);

        [LoggerMessage(2, LogLevel.Warning, "Event {EventId} of subscription {SubscriptionId} was dead-lettered ({Reason}) to {Destination}")]
        public static partial void DeadLettered(ILogger logger, string eventId, string subscriptionId, string reason, string destination);

        [LoggerMessage(3, LogLevel.Warning, "Subscription {SubscriptionId} is disabled: {Reason}")]
        public static partial void Disabled(ILogger logger, string subscriptionId, string reason);

        [LoggerMessage(5, LogLevel.Warning, "The reply to event {EventId} from the sink of subscription {SubscriptionId} was ignored: {Problem}")]
        public static partial void ReplyIgnored(ILogger logger, string eventId, string subscriptionId, string problem);

        [LoggerMessage(7, LogLevel.Warning, "A retry round of subscription {SubscriptionId} failed; trying again")]
        public static partial void RetryRoundFailed(ILogger logger, string subscriptionId, Exception exception);

        [LoggerMessage(6, LogLevel.Warning, "Delivered retries of subscription {SubscriptionId} could not be removed from the retry store; trying again")]
        public static partial void NotRemoved(ILogger logger, string subscriptionId, Exception exception);

        [LoggerMessage(4, LogLevel.Error, "Delivery of event {EventId} to subscription {SubscriptionId} could not be settled; it will be retried after a restart")]
        public static partial void NotSettled(ILogger logger, string eventId, string subscriptionId, Exception exception);
    }
}
