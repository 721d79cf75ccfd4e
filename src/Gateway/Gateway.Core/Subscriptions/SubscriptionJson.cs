using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Protocols.Abstractions;
using Gateway.Security;

namespace Gateway.Subscriptions;

/// <summary>Writes subscriptions as JSON: the API form (no secrets, with status) and the stored form (all of it).</summary>
internal static class SubscriptionJson
{
    /// <summary>The API form (§6.2): lower-case names, <c>sinkcredential</c> left out (SUB-15), <c>status</c> added.</summary>
    public static JsonObject ToApi(Subscription subscription, SubscriptionStatus status)
    {
        var json = Common(subscription);
        json["delivery"] = subscription.Delivery.ToJson(includeSecrets: false);
        json["status"] = status.ToJson();
        return json;
    }

    /// <summary>The stored document: everything, the credential included.</summary>
    public static string ToStored(Subscription subscription) => StoredJson(subscription).ToJsonString();

    /// <summary>
    /// Whether two subscriptions store the same document, compared as JSON: a store may keep an object's members in
    /// its own order (PostgreSQL's <c>jsonb</c> does), which is not a change.
    /// </summary>
    public static bool SameDocument(Subscription first, Subscription second) =>
        JsonNode.DeepEquals(StoredJson(first), StoredJson(second));

    private static JsonObject StoredJson(Subscription subscription)
    {
        var json = Common(subscription);
        json["delivery"] = subscription.Delivery.ToJson(includeSecrets: true);
        json["owner"] = subscription.Owner;
        if (subscription.Credential is { } credential)
        {
            json["sinkcredential"] = CredentialToJson(credential);
        }

        return json;
    }

    /// <summary>Reads a stored document back.</summary>
    public static Subscription FromStored(string document)
    {
        var json = JsonNode.Parse(document)!.AsObject();
        return new Subscription
        {
            Id = json["id"]!.GetValue<string>(),
            Source = json["source"]?.GetValue<string>(),
            Types = json["types"]?.AsArray().Select(t => t!.GetValue<string>()).ToArray(),
            Config = json["config"]?.AsObject(),
            Filters = json["filters"]?.AsArray(),
            Sink = json["sink"]!.GetValue<string>(),
            Protocol = json["protocol"]!.GetValue<string>(),
            ProtocolSettings = json["protocolsettings"]?.AsObject() ?? [],
            Credential = json["sinkcredential"] is JsonObject credential ? CredentialFromJson(credential) : null,
            Delivery = DeliveryPolicy.Read(json["delivery"], []) ?? DeliveryPolicy.Default,
            Owner = json["owner"]?.GetValue<string>() ?? GatewayPrincipal.OpenName,
        };
    }

    private static JsonObject Common(Subscription subscription)
    {
        var json = new JsonObject { ["id"] = subscription.Id };
        if (subscription.Source is not null)
        {
            json["source"] = subscription.Source;
        }

        if (subscription.Types is not null)
        {
            json["types"] = new JsonArray([.. subscription.Types.Select(t => (JsonNode)t)]);
        }

        if (subscription.Config is not null)
        {
            json["config"] = subscription.Config.DeepClone();
        }

        if (subscription.Filters is not null)
        {
            json["filters"] = subscription.Filters.DeepClone();
        }

        json["sink"] = subscription.Sink;
        json["protocol"] = subscription.Protocol;
        json["protocolsettings"] = subscription.ProtocolSettings.DeepClone();
        return json;
    }

    public static JsonObject CredentialToJson(SinkCredential credential)
    {
        var json = new JsonObject { ["credentialtype"] = credential.CredentialType };
        Add(json, "identifier", credential.Identifier);
        Add(json, "secret", credential.Secret);
        Add(json, "accesstoken", credential.AccessToken);
        Add(json, "accesstokentype", credential.TokenType);
        Add(json, "accesstokenexpiresutc", credential.AccessTokenExpiresUtc);
        Add(json, "refreshtoken", credential.RefreshToken);
        Add(json, "refreshtokenendpoint", credential.RefreshTokenEndpoint);
        return json;

        static void Add(JsonObject json, string name, string? value)
        {
            if (value is not null)
            {
                json[name] = value;
            }
        }
    }

    /// <summary>Reads a credential object, accepting the legacy camelCase names too (§6.4 decision).</summary>
    public static SinkCredential CredentialFromJson(JsonObject json) => new()
    {
        CredentialType = Text(json, "credentialtype", "credentialType") ?? string.Empty,
        Identifier = Text(json, "identifier"),
        Secret = Text(json, "secret"),
        AccessToken = Text(json, "accesstoken", "accessToken"),
        TokenType = Text(json, "accesstokentype", "accessTokenType"),
        AccessTokenExpiresUtc = Text(json, "accesstokenexpiresutc", "accessTokenExpiresUtc"),
        RefreshToken = Text(json, "refreshtoken", "refreshToken"),
        RefreshTokenEndpoint = Text(json, "refreshtokenendpoint", "refreshTokenEndpoint"),
    };

    private static string? Text(JsonObject json, string name, string? legacyName = null)
    {
        var node = json[name] ?? (legacyName is null ? null : json[legacyName]);
        return node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
    }
}
