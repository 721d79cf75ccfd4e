using Gateway.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Gateway.Security;

/// <summary>
/// 401 and 403 as problem+json naming what is missing, after the scheme set its status and
/// <c>WWW-Authenticate</c>.
/// </summary>
internal sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            await context.ChallengeAsync();
            await Problems.Invalid(
                    "Authorization",
                    "needs an API key (Authorization: Bearer or X-Api-Key) or a bearer token that this gateway accepts",
                    "Authentication required",
                    StatusCodes.Status401Unauthorized)
                .ExecuteAsync(context);
        }
        else if (authorizeResult.Forbidden)
        {
            var missing = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().Select(r => r.Scope) ?? [];
            await context.ForbidAsync();
            await Problems.Invalid(
                    "scope",
                    $"'{GatewayPrincipal.Name(context.User)}' lacks the scope {string.Join(", ", missing)}",
                    "Scope missing",
                    StatusCodes.Status403Forbidden)
                .ExecuteAsync(context);
        }
        else
        {
            await next(context);
        }
    }
}
