using Gateway.Protocols.CloudEvents;

namespace Gateway.Protocols.Abstractions;

/// <summary>What a sender reports for one attempt.</summary>
public enum DeliveryOutcome
{
    /// <summary>The sink took the event.</summary>
    Delivered,

    /// <summary>Try again later (network error, timeout, 408, 429, 5xx), not before <see cref="DeliveryResult.NotBefore"/>.</summary>
    Retry,

    /// <summary>The sink will never take this event (4xx other than 408/410/429, 3xx): dead-letter it.</summary>
    Permanent,

    /// <summary>The sink is retired (410 Gone): stop the subscription.</summary>
    Gone,
}

/// <summary>The result of one delivery attempt.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Code">The protocol's status code (HTTP status, MQTT reason code), when there was one.</param>
/// <param name="Reason">A short human reason for failures.</param>
/// <param name="NotBefore">For retries: the earliest time to try again (from <c>Retry-After</c>, WH-06).</param>
/// <param name="Reply">A CloudEvent the sink answered with, to be routed on (reply chaining).</param>
public readonly record struct DeliveryResult(
    DeliveryOutcome Outcome,
    int? Code = null,
    string? Reason = null,
    DateTimeOffset? NotBefore = null,
    CloudEvent? Reply = null)
{
    /// <summary>Delivered, with no reply.</summary>
    public static DeliveryResult Delivered(int? code = null) => new(DeliveryOutcome.Delivered, code);
}

/// <summary>The answer of a sink to the consent step.</summary>
/// <param name="Granted">True when delivery may start.</param>
/// <param name="Reason">Why consent was not granted.</param>
/// <param name="AllowedRatePerMinute">The granted rate (WH-12), or null for unlimited.</param>
public readonly record struct SinkValidation(bool Granted, string? Reason = null, int? AllowedRatePerMinute = null)
{
    /// <summary>The protocol has no consent step.</summary>
    public static SinkValidation NotRequired => new(true);
}
