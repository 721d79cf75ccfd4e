using System.Net;
using System.Net.Sockets;
using Gateway.Protocols.Abstractions;
using MQTTnet.Channel;

namespace Gateway.Protocols.Mqtt;

/// <summary>
/// Every MQTT connection, sink or source, goes through the SSRF guard: MQTTnet asks this provider
/// for the TCP stream on each connect and layers TLS on top with the broker's name.
/// </summary>
internal sealed class GuardedMqttStreams(OutboundGuard guard) : IMqttClientStreamProvider
{
    public async Task<Stream> ConnectAsync(EndPoint brokerEndPoint, CancellationToken cancellationToken)
    {
        var (host, port) = brokerEndPoint switch
        {
            DnsEndPoint name => (name.Host, name.Port),
            IPEndPoint address => (address.Address.ToString(), address.Port),
            _ => throw new NotSupportedException($"MQTT brokers are reached over TCP, not {brokerEndPoint.AddressFamily}"),
        };
        return new NetworkStream(await guard.ConnectAsync(host, port, cancellationToken), ownsSocket: true);
    }
}
