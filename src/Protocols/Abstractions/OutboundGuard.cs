using System.Net;
using System.Net.Sockets;

namespace Gateway.Protocols.Abstractions;

/// <summary>
/// The SSRF guard every protocol connects through: with private addresses disallowed, no sink,
/// dead-letter destination or source reaches a loopback, private, link-local or unspecified address, whatever form
/// names it (<c>127.1</c>, <c>0x7f000001</c>, <c>[::ffff:127.0.0.1]</c>, <c>localhost.</c>, a name that resolves
/// there). Names are resolved when connecting, and the socket goes to an address that was checked. Over TLS, the
/// server's certificate must chain to one of <see cref="Trust"/>'s authorities (item 6).
/// </summary>
public sealed class OutboundGuard(bool allowPrivateAddresses, TrustedAuthorities? trust = null)
{
    /// <summary>No guard: every address may be reached (the gateway listens on loopback only, or the operator said so).</summary>
    public static readonly OutboundGuard AllowingAll = new(allowPrivateAddresses: true);

    /// <summary>True when loopback and private addresses may be reached (<c>Gateway:Delivery:AllowPrivateSinks</c>).</summary>
    public bool AllowsPrivateAddresses => allowPrivateAddresses;

    /// <summary>The authorities a server's certificate may chain to.</summary>
    public TrustedAuthorities Trust { get; } = trust ?? TrustedAuthorities.SystemRoots;

    /// <summary>A TCP socket connected to an address of <paramref name="host"/> the guard allows.</summary>
    public async ValueTask<Socket> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var addresses = await AllowedAddressesAsync(host, cancellationToken);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, port, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// For clients that resolve and connect by themselves (librdkafka): refuses <paramref name="host"/> when any of
    /// its addresses is private, since the client may pick any of them.
    /// </summary>
    public async ValueTask<string?> RefusalAsync(string host, CancellationToken cancellationToken)
    {
        if (allowPrivateAddresses)
        {
            return null;
        }

        try
        {
            var refused = (await ResolveAsync(host, cancellationToken)).FirstOrDefault(NetworkAddresses.IsPrivateOrLoopback);
            return refused is null ? null : new PrivateAddressRefusedException(host, refused.ToString()).Message;
        }
        catch (SocketException)
        {
            // A name that does not resolve reaches nothing; the client's own connect says so.
            return null;
        }
    }

    /// <summary>At create and update: a literal address the guard would refuse, named for the answer, or null.</summary>
    public string? RefuseLiteral(string host) =>
        !allowPrivateAddresses && IPAddress.TryParse(host.Trim('[', ']'), out var address) && NetworkAddresses.IsPrivateOrLoopback(address)
            ? new PrivateAddressRefusedException(host, address.ToString()).Message
            : null;

    /// <summary>The addresses a connection to <paramref name="host"/> may use; throws when there is none.</summary>
    public async ValueTask<IPAddress[]> AllowedAddressesAsync(string host, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(host, cancellationToken);
        if (allowPrivateAddresses)
        {
            return addresses;
        }

        var allowed = addresses.Where(a => !NetworkAddresses.IsPrivateOrLoopback(a)).ToArray();
        return allowed.Length > 0 ? allowed : throw new PrivateAddressRefusedException(host, addresses.FirstOrDefault()?.ToString() ?? host);
    }

    private static async ValueTask<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        // IPAddress.TryParse reads every form inet_aton does (127.1, 0x7f000001, 2130706433, 0177.0.0.1), the forms a
        // client library's resolver would also take as an address rather than a name.
        var literal = host.Trim('[', ']');
        if (IPAddress.TryParse(literal, out var address))
        {
            return [address];
        }

        // RFC 6761 §6.3: localhost and every name under it is loopback, with or without the root's trailing dot,
        // whether or not this machine's resolver knows the spelling.
        var name = host.TrimEnd('.');
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            ? [IPAddress.Loopback, IPAddress.IPv6Loopback]
            : await Dns.GetHostAddressesAsync(name, cancellationToken);
    }
}
