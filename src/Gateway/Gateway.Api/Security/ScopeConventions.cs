using Microsoft.AspNetCore.Authorization;

namespace Gateway.Security;

/// <summary>How an endpoint names the scope it needs.</summary>
internal static class ScopeConventions
{
    /// <summary>
    /// Requires <paramref name="scope"/> when the gateway authenticates. When it does not (loopback only, or
    /// <c>Gateway:Auth:Mode=none</c>) the endpoint carries no authorization at all, and neither do requests: the
    /// zero-setup gateway pays nothing per request for authentication it does not do (BENCHMARKS.md).
    /// </summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            if (endpoint.ApplicationServices.GetRequiredService<AuthOptions>().Enforced)
            {
                endpoint.Metadata.Add(new AuthorizeAttribute(scope));
            }
        });
        return builder;
    }
}
