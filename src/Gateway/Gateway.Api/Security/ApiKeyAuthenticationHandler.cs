using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Gateway.Security;

/// <summary>
/// API keys, presented as <c>X-Api-Key</c>, <c>Authorization: Bearer</c>, or on <c>/events</c> as
/// the <c>access_token</c> query parameter (WH-08). Only the keys' SHA-256 is known here.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AuthOptions auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PresentedCredentials.Find(Request) is not { } presented)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        // Compared in fixed time, so the answer's timing tells nothing about how close a guess came.
        var key = auth.ApiKeys.FirstOrDefault(k => CryptographicOperations.FixedTimeEquals(k.Sha256, hash));
        if (key is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("the API key is not one this gateway knows"));
        }

        var principal = GatewayPrincipal.Create(key.Name, key.Scopes, key.SourcePrefixes, SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    /// <summary>RFC 6750 §3: a 401 names the scheme, and says <c>invalid_token</c> when a credential was wrong.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = result.Failure is null
            ? "Bearer realm=\"cloudevents-gateway\""
            : "Bearer realm=\"cloudevents-gateway\", error=\"invalid_token\"";
    }
}
