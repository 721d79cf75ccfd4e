using System.Text.Json.Nodes;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;

namespace Gateway.Subscriptions;

/// <summary>Reads and checks <c>sinkcredential</c> objects (§6.4), wherever they appear.</summary>
internal static class SinkCredentials
{
    public static SinkCredential? Read(JsonNode? node, string field, List<ValidationError> errors)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject json)
        {
            errors.Add(new(field, "must be an object"));
            return null;
        }

        var credential = SubscriptionJson.CredentialFromJson(json);
        switch (credential.CredentialType)
        {
            case "":
                errors.Add(new($"{field}.credentialtype", "is required: PLAIN, ACCESSTOKEN or REFRESHTOKEN (§6.4)"));
                break;
            case SinkCredential.Plain:
                Require(credential.Identifier, "identifier");
                Require(credential.Secret, "secret");
                break;
            case SinkCredential.AccessTokenType:
                RequireToken();
                break;
            case SinkCredential.RefreshTokenType:
                RequireToken();
                Require(credential.RefreshToken, "refreshtoken");
                Require(credential.RefreshTokenEndpoint, "refreshtokenendpoint");
                break;
            default:
                errors.Add(new($"{field}.credentialtype", $"unsupported credential type '{credential.CredentialType}'; use PLAIN, ACCESSTOKEN or REFRESHTOKEN"));
                break;
        }

        return credential;

        void RequireToken()
        {
            Require(credential.AccessToken, "accesstoken");
            Require(credential.AccessTokenExpiresUtc, "accesstokenexpiresutc");
            if (credential.AccessTokenExpiresUtc is { } expires && !Rfc3339.IsValid(expires))
            {
                errors.Add(new($"{field}.accesstokenexpiresutc", "must be an RFC 3339 timestamp"));
            }
        }

        void Require(string? value, string name)
        {
            if (string.IsNullOrEmpty(value))
            {
                errors.Add(new($"{field}.{name}", $"is required for credentialtype {credential.CredentialType} (§6.4)"));
            }
        }
    }
}
