using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Protocols.Abstractions;

namespace Gateway.Subscriptions;

/// <summary>The <c>delivery.deadletter</c> destination: any supported protocol, shaped like a subscription's sink.</summary>
internal sealed record DeadLetterDestination(string Protocol, string Sink, JsonObject Settings, SinkCredential? Credential)
{
    public SinkSpec ToSinkSpec(string subscriptionId) =>
        new(subscriptionId + "/deadletter", Sink, (JsonObject)Settings.DeepClone(), Credential);

    public JsonObject ToJson(bool includeSecrets)
    {
        var json = new JsonObject
        {
            ["protocol"] = Protocol,
            ["sink"] = Sink,
            ["protocolsettings"] = Settings.DeepClone(),
        };
        if (includeSecrets && Credential is not null)
        {
            json["sinkcredential"] = SubscriptionJson.CredentialToJson(Credential);
        }

        return json;
    }

    /// <summary>Reads the object; protocol-specific checks happen with the protocol's binding.</summary>
    public static DeadLetterDestination? Read(JsonNode node, List<ValidationError> errors)
    {
        if (node is not JsonObject json)
        {
            errors.Add(new("delivery.deadletter", "must be an object with protocol, sink and optional protocolsettings and sinkcredential"));
            return null;
        }

        var protocol = Text(json, "protocol", errors);
        var sink = Text(json, "sink", errors);
        var settings = json["protocolsettings"] switch
        {
            null => [],
            JsonObject s => (JsonObject)s.DeepClone(),
            _ => DeliveryPolicy.Error<JsonObject?>(errors, "delivery.deadletter.protocolsettings", "must be an object", null),
        };
        var credential = SinkCredentials.Read(json["sinkcredential"], "delivery.deadletter.sinkcredential", errors);
        return protocol is null || sink is null || settings is null ? null : new(protocol, sink, settings, credential);
    }

    private static string? Text(JsonObject json, string name, List<ValidationError> errors)
    {
        if (json[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length > 0)
        {
            return value.GetValue<string>();
        }

        errors.Add(new($"delivery.deadletter.{name}", "is required: a non-empty string"));
        return null;
    }
}
