using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;

namespace Gateway.Storage.Secrets;

/// <summary>
/// Credentials encrypted at rest: the secret members of a subscription's <c>sinkcredential</c>,
/// of its dead-letter destination's, and of a source's <c>credential</c> are sealed with ASP.NET Core Data Protection
/// before a document is stored and opened when it is read. A database dump, a backup or the SQLite file alone shows
/// none of them; the keys live apart (<c>SecretKeys</c>).
/// </summary>
internal sealed class StoredSecrets(IDataProtectionProvider provider)
{
    /// <summary>Marks a sealed value; one without it is a document from before encryption, read as it is.</summary>
    private const string SealedPrefix = "dp1:";

    private static readonly string[][] CredentialPaths = [["sinkcredential"], ["delivery", "deadletter", "sinkcredential"], ["credential"]];

    private static readonly string[] SecretMembers = ["secret", "accesstoken", "refreshtoken"];

    private readonly IDataProtector _protector = provider.CreateProtector("Gateway.StoredCredentials.v1");

    /// <summary>The document to store: every secret member sealed.</summary>
    public string Seal(string document) => Transform(document, value =>
        value.StartsWith(SealedPrefix, StringComparison.Ordinal) ? value : SealedPrefix + _protector.Protect(value));

    /// <summary>The document as the gateway uses it: every sealed member opened.</summary>
    public string Open(string document) => Transform(document, value =>
        value.StartsWith(SealedPrefix, StringComparison.Ordinal) ? _protector.Unprotect(value[SealedPrefix.Length..]) : value);

    private static string Transform(string document, Func<string, string> change)
    {
        // Most documents carry no credential: they pass untouched, without a parse.
        if (!document.Contains("credential", StringComparison.Ordinal))
        {
            return document;
        }

        var json = JsonNode.Parse(document)!.AsObject();
        foreach (var path in CredentialPaths)
        {
            if (Find(json, path) is JsonObject credential)
            {
                foreach (var member in SecretMembers)
                {
                    if (credential[member] is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        credential[member] = change(text);
                    }
                }
            }
        }

        return json.ToJsonString();
    }

    private static JsonNode? Find(JsonObject json, string[] path)
    {
        JsonNode? node = json;
        foreach (var step in path)
        {
            node = node is JsonObject parent ? parent[step] : null;
        }

        return node;
    }
}
