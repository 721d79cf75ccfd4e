using System.Net;
using System.Net.Sockets;
using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Http;

/// <summary>The <c>HTTP</c> protocol: CloudEvents webhook delivery (§5) in binary or structured mode.</summary>
public sealed class HttpProtocolBinding : IProtocolBinding, IDisposable
{
    private readonly HttpDeliveryOptions _options;
    private readonly HttpClient _client;

    /// <summary>Creates the binding and the one connection pool all HTTP senders share.</summary>
    public HttpProtocolBinding(HttpDeliveryOptions options)
    {
        _options = options;
        var handler = new SocketsHttpHandler
        {
            // WH-05: a sender never follows redirects.
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = ConnectAsync,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <inheritdoc/>
    public string Protocol => "HTTP";

    /// <inheritdoc/>
    public void ValidateAndComplete(SinkSpec spec, ICollection<ValidationError> errors)
    {
        if (!Uri.TryCreate(spec.Sink, UriKind.Absolute, out var sink) || sink.Scheme is not ("http" or "https")
            || string.IsNullOrEmpty(sink.Host))
        {
            errors.Add(new("sink", "must be an absolute http:// or https:// URL (SUB-14)"));
        }
        else if (_options.RequireHttps && sink.Scheme == "http")
        {
            errors.Add(new("sink", "plain http:// sinks are refused because Gateway:Delivery:RequireHttps is on (WH-01)"));
        }
        else if (!_options.AllowPrivateSinks && IPAddress.TryParse(sink.Host.Trim('[', ']'), out var ip)
            && NetworkAddresses.IsPrivateOrLoopback(ip))
        {
            errors.Add(new("sink", "loopback and private addresses are refused because Gateway:Delivery:AllowPrivateSinks is off"));
        }

        HttpSinkSettings.ValidateAndComplete(spec.Settings, errors);
    }

    /// <inheritdoc/>
    public IEventSender CreateSender(SinkSpec spec) =>
        new HttpEventSender(_client, _options, new Uri(spec.Sink), HttpSinkSettings.Read(spec.Settings), spec.Credential);

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();

    /// <summary>Connects only to addresses the SSRF guard allows, checked on the address actually used.</summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = _options.AllowPrivateSinks
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
