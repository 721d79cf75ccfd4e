using System.Globalization;
using System.Threading.RateLimiting;
using Gateway.Api;
using Gateway.Ingress;
using Microsoft.AspNetCore.RateLimiting;

namespace Gateway.Security;

/// <summary>
/// The rate <c>OPTIONS /events</c> grants (WH-12, <c>Gateway:Ingress:AllowedRate</c>) is the rate enforced:
/// per producer key, or per client address for anonymous producers. Over it, a 429 with <c>Retry-After</c>.
/// </summary>
internal static class IngressRateLimits
{
    public const string Policy = "ingress";

    public static void AddIngressRateLimits(this IServiceCollection services, IngressOptions ingress)
    {
        if (ingress.RequestsPerMinute is not { } perMinute)
        {
            return;
        }

        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Policy, context => RateLimitPartition.GetSlidingWindowLimiter(
                Producer(context),
                _ => new SlidingWindowRateLimiterOptions
                {
                    PermitLimit = perMinute,
                    Window = TimeSpan.FromMinutes(1),
                    SegmentsPerWindow = 6,
                    QueueLimit = 0,
                }));
            limiter.OnRejected = RejectAsync;
        });
    }

    /// <summary>Who a request counts against: its key's name when it has one, else the address it comes from.</summary>
    private static string Producer(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { } name }
            ? "key:" + name
            : "address:" + context.Connection.RemoteIpAddress;

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(10);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Problems.Invalid(
                "WebHook-Allowed-Rate",
                $"more requests than the rate granted at OPTIONS /events; retry after {seconds} s",
                "Too many requests",
                StatusCodes.Status429TooManyRequests)
            .ExecuteAsync(rejected.HttpContext);
    }
}
