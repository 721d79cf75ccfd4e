using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Security;

/// <summary>Authentication and the scope policies.</summary>
internal static class SecurityServices
{
    private const string SelectorScheme = "Gateway";

    public static void AddGatewaySecurity(this IServiceCollection services, AuthOptions auth)
    {
        services.AddSingleton(auth);
        if (!auth.Enforced)
        {
            // No scheme and no middleware: endpoints carry no authorization then (ScopeConventions).
            return;
        }

        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        services.AddAuthorization(options =>
        {
            foreach (var scope in Scopes.All)
            {
                options.AddPolicy(scope, policy => policy.AddRequirements(new ScopeRequirement(scope)));
            }
        });

        var authentication = services.AddAuthentication(SelectorScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddPolicyScheme(SelectorScheme, SelectorScheme, selector => selector.ForwardDefaultSelector = context =>
                auth.Jwt is not null && PresentedCredentials.Find(context.Request) is { } credential && PresentedCredentials.IsJwt(credential)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName);
        if (auth.Jwt is { } jwt)
        {
            authentication.AddJwtBearer(bearer => Configure(bearer, jwt));
        }
    }

    private static void Configure(JwtBearerOptions bearer, JwtSettings jwt)
    {
        bearer.Authority = jwt.Authority;
        bearer.RequireHttpsMetadata = jwt.Authority is null || !Uri.TryCreate(jwt.Authority, UriKind.Absolute, out var authority) || !authority.IsLoopback;
        bearer.MapInboundClaims = false;
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = jwt.Issuer,
            ValidAudience = jwt.Audience,
            IssuerSigningKeys = jwt.SigningKeys,
            ClockSkew = TimeSpan.FromSeconds(30),
        };
        bearer.Events = new JwtBearerEvents
        {
            OnMessageReceived = context =>
            {
                context.Token = PresentedCredentials.Find(context.Request);
                return Task.CompletedTask;
            },
            OnTokenValidated = context =>
            {
                if (TokenPrincipal(context.Principal!, jwt) is { } principal)
                {
                    context.Principal = principal;
                }
                else
                {
                    context.Fail($"the token has no '{jwt.TenantClaim}' claim to name its tenant");
                }

                return Task.CompletedTask;
            },
        };
    }

    /// <summary>
    /// The token's tenant (the configured claim, <c>sub</c> by default) becomes the principal's name, and its OAuth
    /// scopes (<c>scope</c>, space-separated, RFC 8693 §4.2; or <c>scp</c>) the gateway's scopes.
    /// </summary>
    private static ClaimsPrincipal? TokenPrincipal(ClaimsPrincipal token, JwtSettings jwt)
    {
        if (token.FindFirst(jwt.TenantClaim)?.Value is not { Length: > 0 } tenant)
        {
            return null;
        }

        var scopes = token.FindAll("scope").Concat(token.FindAll("scp"))
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(Scopes.All.Contains);
        return GatewayPrincipal.Create(tenant, scopes, [], JwtBearerDefaults.AuthenticationScheme);
    }
}
