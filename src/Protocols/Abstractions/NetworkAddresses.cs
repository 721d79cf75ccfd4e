using System.Net;
using System.Net.Sockets;

namespace Gateway.Protocols.Abstractions;

/// <summary>Classifies addresses for the SSRF guard.</summary>
public static class NetworkAddresses
{
    /// <summary>
    /// True for loopback, private (RFC 1918, RFC 4193), link-local, shared (RFC 6598), unspecified and "this network"
    /// addresses: places a sink must not reach unless the operator allows it.
    /// </summary>
    public static bool IsPrivateOrLoopback(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal;
        }

        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return b[0] is 0 or 10 or 127
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127);
    }

    /// <summary>True when every host in <paramref name="urls"/> is a loopback name or address.</summary>
    public static bool AreAllLoopback(IEnumerable<string> urls)
    {
        foreach (var url in urls)
        {
            // Kestrel accepts wildcards such as http://*:8080 or http://+:8080, which Uri cannot parse.
            if (!Uri.TryCreate(url.Replace("*", "wildcard", StringComparison.Ordinal).Replace("+", "wildcard", StringComparison.Ordinal), UriKind.Absolute, out var uri))
            {
                return false;
            }

            var host = uri.Host;
            var loopback = host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
            if (!loopback)
            {
                return false;
            }
        }

        return true;
    }
}
