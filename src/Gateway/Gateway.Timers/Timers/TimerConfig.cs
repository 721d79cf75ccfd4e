using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using Gateway.Subscriptions;

namespace Gateway.Timers;

/// <summary>
/// A subscription's <c>config</c> (§6.2: it configures event generation) read as a timer: <c>interval</c> seconds
/// or a <c>cron</c> expression in <c>timezone</c>, the event <c>data</c>, and the <c>startdate</c>/<c>stopdate</c>
/// window. These are the only keys this gateway advertises in Discovery's <c>subscriptionconfig</c> (SUB-10).
/// </summary>
internal sealed record TimerConfig(
    TimeSpan? Interval, VixieCronExpression? Cron, TimeZoneInfo Zone, JsonNode? Data, DateTimeOffset? Start, DateTimeOffset? Stop)
{
    public const string IntervalKey = "interval";
    public const string CronKey = "cron";
    public const string TimeZoneKey = "timezone";
    public const string DataKey = "data";
    public const string StartKey = "startdate";
    public const string StopKey = "stopdate";

    /// <summary>
    /// The keys with their CloudEvents type names, as Discovery advertises them (§9.1 <c>subscriptionconfig</c>).
    /// <c>data</c> takes any JSON value, for which the CloudEvents type system has no name: it is advertised as
    /// <c>Any</c>, the xRegistry name of that type.
    /// </summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> Advertised =
    [
        new(IntervalKey, "Integer"), new(CronKey, "String"), new(TimeZoneKey, "String"), new(DataKey, "Any"),
        new(StartKey, "Timestamp"), new(StopKey, "Timestamp"),
    ];

    /// <summary>Whether a (validated) subscription has a timer, and so gets only the events it generates.</summary>
    public static bool IsTimer(Subscription subscription) =>
        subscription.Config is { } config && (config.ContainsKey(IntervalKey) || config.ContainsKey(CronKey));

    /// <summary>
    /// Checks a <c>config</c> object (SUB-09, SUB-10), adding an error per offending key as <c>config.{key}</c>;
    /// returns the timer, or null when there is none (an empty config) or anything was wrong.
    /// </summary>
    public static TimerConfig? Read(JsonObject config, List<ValidationError> errors)
    {
        var before = errors.Count;
        foreach (var (key, _) in config)
        {
            if (key.Length == 0)
            {
                errors.Add(new("config", "config keys must not be empty (SUB-09)"));
            }
            else if (!Advertised.Any(k => k.Key == key))
            {
                errors.Add(new($"config.{key}", $"not a config key of this gateway; it accepts {string.Join(", ", Advertised.Select(k => k.Key))} (SUB-10)"));
            }
        }

        var interval = ReadInterval(config[IntervalKey], errors);
        var cron = config[CronKey] is { } cronNode ? ReadCron(cronNode, errors) : null;
        var zone = ReadZone(config, errors);
        var start = ReadTimestamp(config, StartKey, errors);
        var stop = ReadTimestamp(config, StopKey, errors);
        if (start is not null && stop is not null && stop <= start)
        {
            errors.Add(new($"config.{StopKey}", $"must be later than {StartKey}"));
        }

        var timed = config.ContainsKey(IntervalKey) || config.ContainsKey(CronKey);
        if (config.ContainsKey(IntervalKey) && config.ContainsKey(CronKey))
        {
            errors.Add(new("config", $"has both {IntervalKey} and {CronKey}; a timer takes one of them"));
        }
        else if (!timed && config.Count > 0)
        {
            errors.Add(new("config", $"needs {IntervalKey} or {CronKey}: the other keys shape the events a timer generates"));
        }

        return errors.Count == before && timed
            ? new TimerConfig(interval, cron, zone ?? TimeZoneInfo.Utc, config[DataKey]?.DeepClone(), start, stop)
            : null;
    }

    /// <summary>
    /// Whole seconds, at least 1: a JSON integer, or a string holding one, since the Subscriptions OpenAPI types
    /// every config value as a string (spec/cloudevents.md G5).
    /// </summary>
    private static TimeSpan? ReadInterval(JsonNode? node, List<ValidationError> errors)
    {
        if (node is null)
        {
            return null;
        }

        var seconds = node switch
        {
            JsonValue number when number.GetValueKind() == JsonValueKind.Number
                && int.TryParse(number.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            JsonValue text when text.GetValueKind() == JsonValueKind.String
                && int.TryParse(text.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            _ => 0,
        };
        if (seconds < 1)
        {
            errors.Add(new($"config.{IntervalKey}", "must be a whole number of seconds, at least 1"));
            return null;
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private static VixieCronExpression? ReadCron(JsonNode node, List<ValidationError> errors)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            errors.Add(new($"config.{CronKey}", "must be a string such as '*/5 * * * *'"));
            return null;
        }

        var cron = VixieCronExpression.Parse(value.GetValue<string>(), out var error);
        if (cron is null)
        {
            errors.Add(new($"config.{CronKey}", error!));
        }

        return cron;
    }

    /// <summary>
    /// On Linux an id names a file under the zone database: only the characters IANA ids use, in non-empty segments
    /// without '.' or '..', ever reach the file system, so a client cannot probe other paths through it.
    /// </summary>
    private static bool IsZoneIdShaped(string id) =>
        id.Length <= 64 && id.Split('/').All(part => part.Length > 0 && part[0] != '.'
            && part.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '+' or '.' or ' '));

    /// <summary>An IANA time zone id (or any other the system knows) for <c>cron</c>; an interval has no use for one.</summary>
    private static TimeZoneInfo? ReadZone(JsonObject config, List<ValidationError> errors)
    {
        if (config[TimeZoneKey] is not { } node)
        {
            return null;
        }

        if (config.ContainsKey(IntervalKey))
        {
            errors.Add(new($"config.{TimeZoneKey}", $"applies to {CronKey} only; an {IntervalKey} does not depend on the time of day"));
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } id
            && IsZoneIdShaped(id))
        {
            try
            {
                return TimeZoneInfo.FindSystemTimeZoneById(id);
            }
            catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or System.Security.SecurityException)
            {
                // Reported below. A directory of the zone database ('Europe') throws SecurityException on Linux; found
                // by the "subscription" fuzz target, where it made a create answer 500.
            }
        }

        errors.Add(new($"config.{TimeZoneKey}", "must be a time zone id such as 'Europe/Berlin' (IANA)"));
        return null;
    }

    private static DateTimeOffset? ReadTimestamp(JsonObject config, string key, List<ValidationError> errors)
    {
        if (config[key] is not { } node)
        {
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is var text
            && Rfc3339.IsValid(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var timestamp))
        {
            return timestamp;
        }

        errors.Add(new($"config.{key}", "must be an RFC 3339 timestamp such as '2030-01-01T00:00:00Z'"));
        return null;
    }
}
