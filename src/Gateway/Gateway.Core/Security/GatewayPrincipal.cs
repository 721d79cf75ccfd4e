using System.Security.Claims;

namespace Gateway.Security;

/// <summary>
/// The one shape every caller has once authenticated, whether by API key, bearer token or open access: a name (the
/// tenant that owns what it creates), its scopes, and the event sources it may claim.
/// </summary>
internal static class GatewayPrincipal
{
    public const string ScopeClaim = "scope";

    public const string SourceClaim = "gateway:source";

    /// <summary>The tenant of everything made while authentication is off (and of documents from before tenancy).</summary>
    public const string OpenName = "open";

    public static ClaimsPrincipal Create(string name, IEnumerable<string> scopes, IEnumerable<string> sourcePrefixes, string authenticationType)
    {
        var identity = new ClaimsIdentity(authenticationType, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, name));
        identity.AddClaims(scopes.Select(scope => new Claim(ScopeClaim, scope)));
        identity.AddClaims(sourcePrefixes.Select(prefix => new Claim(SourceClaim, prefix)));
        return new ClaimsPrincipal(identity);
    }

    public static string Name(ClaimsPrincipal user) => user.Identity?.Name ?? OpenName;

    /// <summary>Whether the caller holds the scope; <see cref="Scopes.Admin"/> holds them all.</summary>
    public static bool HasScope(ClaimsPrincipal user, string scope) =>
        user.HasClaim(ScopeClaim, scope) || user.HasClaim(ScopeClaim, Scopes.Admin);

    /// <summary>The <c>source</c> prefixes the caller may post events under; empty when any source is allowed.</summary>
    public static IReadOnlyList<string> SourcePrefixes(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? [.. user.FindAll(SourceClaim).Select(c => c.Value)] : [];
}
