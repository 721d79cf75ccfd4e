using Gateway.Subscriptions;

namespace Gateway.Timers;

/// <summary>The live subscriptions as the timers follow them.</summary>
internal interface ITimerSubscriptions
{
    /// <summary>Every live subscription with a timer.</summary>
    IEnumerable<Subscription> Timed { get; }

    /// <summary>Whether the subscription takes events now: it exists and is neither paused nor disabled.</summary>
    bool IsAccepting(string id);

    /// <summary>Completes when a subscription was created, updated or deleted since the last call, or the token fires.</summary>
    Task WaitForChangeAsync(CancellationToken cancellationToken);
}
