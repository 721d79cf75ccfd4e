using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Timers;

namespace Gateway.OpenWhisk;

/// <summary>
/// The parameters of OpenWhisk's alarms package (<c>openwhisk-package-alarms</c>), so that <c>wsk trigger create T
/// --feed …/alarm -p cron …</c> and <c>--feed …/interval -p minutes N</c> work against the gateway as against the
/// alarms provider: <c>cron</c> (five or six fields), <c>minutes</c>, <c>timezone</c>, <c>trigger_payload</c>,
/// <c>startDate</c> and <c>stopDate</c> (milliseconds since 1970 or an ISO 8601 date). They become the timer keys of
/// the subscription's <c>config</c> (README, "Timers"). <c>strict</c> is accepted and has no effect: five-field
/// expressions always fire at second 0.
/// </summary>
internal static class AlarmParameters
{
    /// <summary>
    /// The timer config the parameters ask for (empty when they name none), or the error to answer. A new interval
    /// without <c>startDate</c> starts at the next whole second: it fires at once, as the alarms provider's does,
    /// and keeps its phase across restarts.
    /// </summary>
    public static (JsonObject? Config, string? Error) Read(JsonObject parameters, bool creating, DateTimeOffset now)
    {
        if (parameters.ContainsKey("date"))
        {
            return (null, "the alarms 'once' feed (date, deleteAfterFire) is not offered; use cron with startDate and stopDate");
        }

        var config = new JsonObject();
        if (parameters["cron"] is { } cron)
        {
            config[TimerConfig.CronKey] = cron.DeepClone();
        }

        if (parameters["minutes"] is { } minutes)
        {
            if (Minutes(minutes) is not { } count)
            {
                return (null, "the minutes parameter must be an integer greater than zero");
            }

            config[TimerConfig.IntervalKey] = count * 60;
        }

        if (parameters["timezone"] is { } zone)
        {
            config[TimerConfig.TimeZoneKey] = zone.DeepClone();
        }

        foreach (var (name, key) in new[] { ("startDate", TimerConfig.StartKey), ("stopDate", TimerConfig.StopKey) })
        {
            if (parameters[name] is not { } date)
            {
                continue;
            }

            if (Date(date) is not { } timestamp)
            {
                return (null, $"the {name} parameter must be milliseconds since 1970 or an ISO 8601 date");
            }

            config[key] = TimerEvents.Rfc3339(timestamp);
        }

        if (parameters.ContainsKey("trigger_payload") || (creating && config.Count > 0))
        {
            config[TimerConfig.DataKey] = Payload(parameters["trigger_payload"]);
        }

        if (creating && config.ContainsKey(TimerConfig.IntervalKey) && !config.ContainsKey(TimerConfig.StartKey))
        {
            config[TimerConfig.StartKey] = TimerEvents.Rfc3339(new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero).AddSeconds(1));
        }

        if (creating && config.Count > 0 && !config.ContainsKey(TimerConfig.CronKey) && !config.ContainsKey(TimerConfig.IntervalKey))
        {
            return (null, "the alarm feed needs the cron parameter, the interval feed the minutes parameter");
        }

        return (config, null);
    }

    /// <summary>A timer config shown in the alarms provider's READ form.</summary>
    public static void Describe(JsonObject config, JsonObject into)
    {
        if (config[TimerConfig.CronKey] is { } cron)
        {
            into["cron"] = cron.DeepClone();
        }

        if (config[TimerConfig.IntervalKey] is JsonValue interval && int.TryParse(interval.ToJsonString(), out var seconds))
        {
            into["minutes"] = seconds / 60;
        }

        foreach (var (name, key) in new[] { ("timezone", TimerConfig.TimeZoneKey), ("startDate", TimerConfig.StartKey), ("stopDate", TimerConfig.StopKey), ("trigger_payload", TimerConfig.DataKey) })
        {
            if (config[key] is { } value)
            {
                into[name] = value.DeepClone();
            }
        }
    }

    /// <summary>As the alarms provider: a string payload becomes <c>{"payload": …}</c>, none an empty object.</summary>
    private static JsonNode Payload(JsonNode? payload) => payload switch
    {
        null => new JsonObject(),
        JsonValue text when text.GetValueKind() == JsonValueKind.String => new JsonObject { ["payload"] = text.GetValue<string>() },
        _ => payload.DeepClone(),
    };

    private static int? Minutes(JsonNode node) =>
        node is JsonValue value
        && int.TryParse(value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
        && minutes is > 0 and <= int.MaxValue / 60
            ? minutes
            : null;

    private static DateTimeOffset? Date(JsonNode node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        if (value.GetValueKind() == JsonValueKind.Number)
        {
            return long.TryParse(value.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
                && milliseconds <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
                ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
                : null;
        }

        return value.GetValueKind() == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date
            : null;
    }

}
