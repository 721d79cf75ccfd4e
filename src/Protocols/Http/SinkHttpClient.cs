using System.Net;
using System.Net.Sockets;

namespace Gateway.Protocols.Http;

/// <summary>
/// The HTTP client every HTTP-based sink (webhooks, OpenWhisk triggers) shares: redirects never followed (WH-05),
/// no cookies, and the SSRF guard applied to the address actually connected to.
/// </summary>
public static class SinkHttpClient
{
    /// <summary>Creates the client; the caller owns and disposes it.</summary>
    public static HttpClient Create(bool allowPrivateSinks)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context, allowPrivateSinks, cancellationToken),
        };
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>True when a failed request failed because the SSRF guard refused every address of the sink.</summary>
    public static bool IsRefusedByGuard(HttpRequestException exception, out string reason)
    {
        reason = exception.InnerException is SinkAddressRefusedException refused ? refused.Message : string.Empty;
        return reason.Length > 0;
    }

    private static async ValueTask<Stream> ConnectAsync(
        SocketsHttpConnectionContext context, bool allowPrivateSinks, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = allowPrivateSinks
            ? addresses
            : addresses.Where(a => !NetworkAddresses.IsPrivateOrLoopback(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new SinkAddressRefusedException(host);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
