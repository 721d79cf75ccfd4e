using System.Text.Json.Nodes;
using Gateway.Protocols.Abstractions;
using Gateway.Subscriptions;

namespace Gateway.Sources;

/// <summary>A source as the API shows it (never its credential) and as the store keeps it (with it).</summary>
internal static class SourceJson
{
    public static JsonObject ToApi(SourceDefinition source, SourceHealthSnapshot health, bool running)
    {
        var json = Common(source);
        var status = new JsonObject
        {
            ["state"] = !running ? "standby" : health.Connected ? "connected" : "connecting",
            ["declared"] = source.Declared ? "configuration" : "api",
            ["events"] = health.Events,
        };
        Add(status, "lastevent", health.LastEvent);
        Add(status, "lastpoll", health.LastPoll);
        if (health.Lag is { } lag)
        {
            status["lag"] = lag;
        }

        if (health.LastError is { } error)
        {
            status["lasterror"] = error;
            Add(status, "lasterrortime", health.LastErrorTime);
        }

        json["status"] = status;
        return json;
    }

    public static string ToStored(SourceDefinition source)
    {
        var json = Common(source);
        if (source.Credential is { } credential)
        {
            json["credential"] = SubscriptionJson.CredentialToJson(credential);
        }

        return json.ToJsonString();
    }

    private static JsonObject Common(SourceDefinition source)
    {
        var defaults = new JsonObject { ["type"] = source.Defaults.Type, ["source"] = source.Defaults.Source };
        if (source.Defaults.DataContentType is { } contentType)
        {
            defaults["datacontenttype"] = contentType;
        }

        return new JsonObject
        {
            ["id"] = source.Id,
            ["protocol"] = source.Protocol,
            ["address"] = source.Address,
            ["protocolsettings"] = source.Settings.DeepClone(),
            ["defaults"] = defaults,
        };
    }

    private static void Add(JsonObject json, string name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            json[name] = value.ToString("O");
        }
    }
}
