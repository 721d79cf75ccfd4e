using System.Net.Sockets;
using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Http;

/// <summary>
/// The HTTP client every HTTP-based sink (webhooks, OpenWhisk triggers) shares: redirects never followed (WH-05),
/// no cookies, the SSRF guard applied to the address actually connected to, and its trusted authorities to the
/// certificate an https:// sink presents.
/// </summary>
public static class SinkHttpClient
{
    /// <summary>Creates the client; the caller owns and disposes it.</summary>
    public static HttpClient Create(OutboundGuard guard)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            SslOptions = { RemoteCertificateValidationCallback = guard.Trust.Validate },
            ConnectCallback = async (context, cancellationToken) =>
                new NetworkStream(await guard.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken), ownsSocket: true),
        };
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>True when a failed request failed because the SSRF guard refused every address of the sink.</summary>
    public static bool IsRefusedByGuard(HttpRequestException exception, out string reason)
    {
        reason = exception.InnerException is PrivateAddressRefusedException refused ? refused.Message : string.Empty;
        return reason.Length > 0;
    }
}
