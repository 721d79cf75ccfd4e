using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using Gateway.Protocols.Abstractions;

namespace Gateway.Subscriptions;

/// <summary>How delivery is retried and given up on.</summary>
internal enum BackoffPolicy
{
    /// <summary>delay × attempt.</summary>
    Linear,

    /// <summary>delay × 2^(attempt − 1).</summary>
    Exponential,
}

/// <summary>
/// The <c>delivery</c> extension of a subscription (names as Knative's DeliverySpec, durations ISO-8601). Every field
/// has a default, and the realized subscription shows them all.
/// </summary>
internal sealed record DeliveryPolicy
{
    public static readonly DeliveryPolicy Default = new();

    /// <summary><c>retry</c>: attempts after the first one before dead-lettering.</summary>
    public int Retry { get; init; } = 10;

    /// <summary><c>backoffpolicy</c>.</summary>
    public BackoffPolicy BackoffPolicy { get; init; } = BackoffPolicy.Exponential;

    /// <summary><c>backoffdelay</c>: the first wait.</summary>
    public TimeSpan BackoffDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary><c>backoffmax</c>: the longest wait between attempts.</summary>
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary><c>timeout</c>: how long one attempt may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>retryaftermax</c>: the longest <c>Retry-After</c> the subscription waits for (WH-06).</summary>
    public TimeSpan RetryAfterMax { get; init; } = TimeSpan.FromHours(1);

    /// <summary><c>ttl</c>: give up this long after the first attempt.</summary>
    public TimeSpan Ttl { get; init; } = TimeSpan.FromDays(1);

    /// <summary><c>maxinflight</c>: concurrent deliveries; 1 keeps the order of events that do not fail.</summary>
    public int MaxInFlight { get; init; } = 1;

    /// <summary><c>deadletter</c>: where given-up events go; null keeps them in the store.</summary>
    public DeadLetterDestination? DeadLetter { get; init; }

    /// <summary>
    /// The wait before attempt number <paramref name="attempt"/> + 1 (attempt ≥ 1), capped at <see cref="BackoffMax"/>,
    /// with ±20% jitter so that many failing deliveries do not retry in lockstep.
    /// </summary>
    public TimeSpan BackoffAfter(int attempt, double jitter)
    {
        var factor = BackoffPolicy == BackoffPolicy.Linear ? attempt : Math.Pow(2, Math.Min(attempt - 1, 30));
        var wait = TimeSpan.FromTicks((long)Math.Min(BackoffDelay.Ticks * factor, BackoffMax.Ticks));
        return wait * (0.8 + (0.4 * jitter));
    }

    public JsonObject ToJson(bool includeSecrets)
    {
        var json = new JsonObject
        {
            ["retry"] = Retry,
            ["backoffpolicy"] = BackoffPolicy == BackoffPolicy.Linear ? "linear" : "exponential",
            ["backoffdelay"] = XmlConvert.ToString(BackoffDelay),
            ["backoffmax"] = XmlConvert.ToString(BackoffMax),
            ["timeout"] = XmlConvert.ToString(Timeout),
            ["retryaftermax"] = XmlConvert.ToString(RetryAfterMax),
            ["ttl"] = XmlConvert.ToString(Ttl),
            ["maxinflight"] = MaxInFlight,
        };
        if (DeadLetter is { } deadLetter)
        {
            json["deadletter"] = deadLetter.ToJson(includeSecrets);
        }

        return json;
    }

    /// <summary>Reads and checks a <c>delivery</c> object, adding every error; absent members take defaults.</summary>
    public static DeliveryPolicy? Read(JsonNode? node, List<ValidationError> errors)
    {
        if (node is null)
        {
            return Default;
        }

        if (node is not JsonObject json)
        {
            errors.Add(new("delivery", "must be an object"));
            return null;
        }

        var before = errors.Count;
        foreach (var (name, _) in json)
        {
            if (name is not ("retry" or "backoffpolicy" or "backoffdelay" or "backoffmax" or "timeout" or "retryaftermax"
                or "ttl" or "maxinflight" or "deadletter"))
            {
                errors.Add(new($"delivery.{name}", "not a delivery setting"));
            }
        }

        var policy = new DeliveryPolicy
        {
            Retry = Integer(json, "retry", Default.Retry, 0, 1000, errors),
            BackoffPolicy = ReadBackoffPolicy(json, errors),
            BackoffDelay = Duration(json, "backoffdelay", Default.BackoffDelay, errors),
            BackoffMax = Duration(json, "backoffmax", Default.BackoffMax, errors),
            Timeout = Duration(json, "timeout", Default.Timeout, errors),
            RetryAfterMax = Duration(json, "retryaftermax", Default.RetryAfterMax, errors),
            Ttl = Duration(json, "ttl", Default.Ttl, errors),
            MaxInFlight = Integer(json, "maxinflight", Default.MaxInFlight, 1, 1000, errors),
            DeadLetter = json["deadletter"] is { } deadLetter ? DeadLetterDestination.Read(deadLetter, errors) : null,
        };
        return errors.Count == before ? policy : null;
    }

    private static BackoffPolicy ReadBackoffPolicy(JsonObject json, List<ValidationError> errors) =>
        json["backoffpolicy"] switch
        {
            null => Default.BackoffPolicy,
            JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == "linear" => BackoffPolicy.Linear,
            JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == "exponential" => BackoffPolicy.Exponential,
            _ => Error(errors, "delivery.backoffpolicy", "must be 'linear' or 'exponential'", Default.BackoffPolicy),
        };

    private static int Integer(JsonObject json, string name, int fallback, int min, int max, List<ValidationError> errors)
    {
        if (json[name] is not { } node)
        {
            return fallback;
        }

        return node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var n)
            && n >= min && n <= max
            ? n
            : Error(errors, $"delivery.{name}", $"must be an integer from {min} to {max}", fallback);
    }

    private static TimeSpan Duration(JsonObject json, string name, TimeSpan fallback, List<ValidationError> errors)
    {
        if (json[name] is not { } node)
        {
            return fallback;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String
            && IsoDuration.TryParse(value.GetValue<string>(), out var span) && span > TimeSpan.Zero)
        {
            return span;
        }

        return Error(errors, $"delivery.{name}", "must be a positive ISO-8601 duration in days, hours, minutes or seconds, such as 'PT30S'", fallback);
    }

    internal static T Error<T>(List<ValidationError> errors, string field, string message, T fallback)
    {
        errors.Add(new(field, message));
        return fallback;
    }
}
