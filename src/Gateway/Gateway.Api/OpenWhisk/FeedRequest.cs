using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Protocols.OpenWhisk;

namespace Gateway.OpenWhisk;

/// <summary>
/// A call of the feed action (spec/openwhisk.md, "The feed action protocol"). <see cref="Timer"/> holds the timer
/// config asked for with the alarms package's parameters (<see cref="AlarmParameters"/>), empty when none.
/// </summary>
internal sealed record FeedRequest(
    string LifecycleEvent, OpenWhiskTrigger Trigger, string Uuid, string Key, JsonObject Parameters, JsonObject Timer)
{
    /// <summary>The subscription that serves the trigger.</summary>
    public string SubscriptionId => $"openwhisk:{Trigger.Namespace}:{Trigger.Name}";

    /// <summary>Parses the body, or returns the error to answer.</summary>
    public static (FeedRequest? Request, string? Error) Parse(JsonNode? body, DateTimeOffset now)
    {
        if (body is not JsonObject json)
        {
            return (null, "the body must be a JSON object");
        }

        var lifecycle = Text(json, "lifecycleEvent")?.ToUpperInvariant();
        if (lifecycle is not ("CREATE" or "READ" or "UPDATE" or "DELETE" or "PAUSE" or "UNPAUSE"))
        {
            return (null, "lifecycleEvent must be CREATE, READ, UPDATE, DELETE, PAUSE or UNPAUSE");
        }

        if (OpenWhiskTrigger.FromFeed(Text(json, "triggerName"), Text(json, "apihost")) is not { } trigger)
        {
            return (null, "triggerName must be /namespace/name and apihost the OpenWhisk API host");
        }

        var authKey = Text(json, "authKey") ?? string.Empty;
        var colon = authKey.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == authKey.Length - 1)
        {
            return (null, "authKey must be the trigger owner's uuid:key");
        }

        var parameters = new JsonObject();
        foreach (var name in new[] { "types", "source", "filters", "payload" })
        {
            if (json[name] is { } value)
            {
                parameters[name] = Normalize(value.DeepClone());
            }
        }

        var (timer, timerError) = AlarmParameters.Read(json, lifecycle == "CREATE", now);
        if (timer is null)
        {
            return (null, timerError);
        }

        return (new FeedRequest(lifecycle, trigger, authKey[..colon], authKey[(colon + 1)..], parameters, timer), null);
    }

    /// <summary>
    /// The subscription for this trigger: fire it with the owner's key, for the events the feed parameters select. An
    /// update passes the timer config in force as <paramref name="keptTimer"/>: as with the alarms provider, the
    /// parameters it names replace those, the rest stay. A timer fires the trigger with its payload as the
    /// parameters (<c>payload</c> <c>data</c>), as the alarms provider does.
    /// </summary>
    public JsonObject ToSubscription(JsonObject? keptTimer = null)
    {
        var timer = (JsonObject?)keptTimer?.DeepClone() ?? [];
        foreach (var (key, value) in Timer)
        {
            timer[key] = value?.DeepClone();
        }

        var subscription = new JsonObject
        {
            ["protocol"] = "OPENWHISK",
            ["sink"] = Trigger.Url.ToString(),
            ["sinkcredential"] = new JsonObject { ["credentialtype"] = "PLAIN", ["identifier"] = Uuid, ["secret"] = Key },
            ["protocolsettings"] = new JsonObject
            {
                ["payload"] = Parameters["payload"]?.DeepClone() ?? (timer.Count > 0 ? "data" : "event"),
            },
        };
        if (timer.Count > 0)
        {
            subscription["config"] = timer;
        }

        foreach (var name in new[] { "types", "source", "filters" })
        {
            if (Parameters[name] is { } value)
            {
                subscription[name] = value.DeepClone();
            }
        }

        return subscription;
    }

    /// <summary><c>wsk -p types a,b</c> arrives as a string: a comma list, or JSON text for arrays and filters.</summary>
    private static JsonNode Normalize(JsonNode value)
    {
        if (value is not JsonValue text || text.GetValueKind() != JsonValueKind.String)
        {
            return value;
        }

        var s = text.GetValue<string>().Trim();
        if (s.StartsWith('['))
        {
            try
            {
                return JsonNode.Parse(s) ?? value;
            }
            catch (JsonException)
            {
                return value;
            }
        }

        return value;
    }

    private static string? Text(JsonObject json, string name) =>
        json[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
