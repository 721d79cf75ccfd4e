using System.Security.Claims;

namespace Gateway.Security;

/// <summary>
/// Whose resources a request may see (issue #18, item 2): its own tenant's, or with <see cref="Scopes.Admin"/> every
/// tenant's. Another tenant's subscription is answered as if it did not exist.
/// </summary>
internal sealed record Caller(string Tenant, bool SeesEveryTenant)
{
    /// <summary>The caller of gateway features that act for nobody in particular (loading at start, timers).</summary>
    public static readonly Caller Gateway = new(GatewayPrincipal.OpenName, SeesEveryTenant: true);

    public static Caller Of(ClaimsPrincipal user) =>
        new(GatewayPrincipal.Name(user), GatewayPrincipal.HasScope(user, Scopes.Admin));

    public bool Sees(string owner) => SeesEveryTenant || string.Equals(owner, Tenant, StringComparison.Ordinal);
}
