using System.Security.Claims;

namespace Gateway.Security;

/// <summary>
/// Whose resources a request may see: its own tenant's, or with <see cref="Scopes.Admin"/> every
/// tenant's. Another tenant's subscription is answered as if it did not exist.
/// </summary>
internal sealed record Caller(string Tenant, bool SeesEveryTenant)
{
    /// <summary>The caller of gateway features that act for nobody in particular (loading at start, timers).</summary>
    public static readonly Caller Gateway = new(GatewayPrincipal.OpenName, SeesEveryTenant: true);

    /// <summary>
    /// Minimal APIs bind an endpoint's <see cref="Caller"/> parameter through this: with authentication off, every
    /// request is the gateway's one open tenant and sees everything; with it on, the authenticated principal.
    /// </summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context) =>
        ValueTask.FromResult<Caller?>(context.RequestServices.GetRequiredService<AuthOptions>().Enforced ? Of(context.User) : Gateway);

    /// <summary>The caller an authenticated principal is; one that is not authenticated sees only the open tenant.</summary>
    public static Caller Of(ClaimsPrincipal user) =>
        new(GatewayPrincipal.Name(user), user.Identity?.IsAuthenticated == true && GatewayPrincipal.HasScope(user, Scopes.Admin));

    public bool Sees(string owner) => SeesEveryTenant || string.Equals(owner, Tenant, StringComparison.Ordinal);
}
