using System.Net.Http.Headers;
using System.Text;
using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Http;

/// <summary>The <c>Authorization</c> header a credential gives an HTTP request (a webhook delivery, a poll).</summary>
internal static class HttpAuthorization
{
    /// <summary>
    /// WH-07: tokens go as <c>Authorization: Bearer</c>. PLAIN has no webhook mapping (WH-09 forbids challenge
    /// schemes), so it is sent as pre-emptive Basic, a documented deviation (G15): there is no challenge round.
    /// </summary>
    public static AuthenticationHeaderValue? From(SinkCredential? credential) => credential switch
    {
        null => null,
        { CredentialType: SinkCredential.Plain } => new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Identifier}:{credential.Secret}"))),
        { AccessToken: { } token } => Header(credential.TokenType, token),
        _ => null,
    };

    /// <summary>An OAuth token as a header: the type <c>bearer</c> (the default, G8) is written <c>Bearer</c> (RFC 6750).</summary>
    public static AuthenticationHeaderValue Header(string? tokenType, string token) =>
        new(tokenType is null || tokenType.Equals("bearer", StringComparison.OrdinalIgnoreCase) ? "Bearer" : tokenType, token);
}
