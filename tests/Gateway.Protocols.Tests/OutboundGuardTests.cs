using System.Net;
using System.Net.Sockets;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.Mqtt;
using Gateway.Protocols.Nats;
using NATS.Client.Core;

namespace Gateway.Protocols.Tests;

/// <summary>
/// The SSRF guard every protocol connects through, against a real loopback listener that counts
/// what reaches it: refused connects never open a socket, allowed ones do.
/// </summary>
public sealed class OutboundGuardTests : IDisposable
{
    private static readonly OutboundGuard Guarded = new(allowPrivateAddresses: false);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public OutboundGuardTests() => _listener.Start();

    private int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Dispose() => _listener.Stop();

    [Theory]
    [InlineData("127.1")]
    [InlineData("0x7f000001")]
    [InlineData("2130706433")]
    [InlineData("0177.0.0.1")]
    [InlineData("[::1]")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("fe80::1")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    public void RefuseLiteral_NamesEverySpellingOfAPrivateAddress(string host)
    {
        Assert.NotNull(Guarded.RefuseLiteral(host));
        Assert.Null(OutboundGuard.AllowingAll.RefuseLiteral(host));
    }

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("2606:2800:21f:cb07:6820:80da:af6b:8b2c")]
    [InlineData("broker.example.com")]
    public void RefuseLiteral_PassesPublicAddressesAndNames(string host) => Assert.Null(Guarded.RefuseLiteral(host));

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST.")]
    [InlineData("kafka.localhost")]
    public async Task LocalhostNames_AreLoopback_WhateverTheResolverKnows(string host)
    {
        Assert.NotNull(await Guarded.RefusalAsync(host, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<PrivateAddressRefusedException>(() => Guarded.ConnectAsync(host, Port, TestContext.Current.CancellationToken).AsTask());
    }

    [Fact]
    public async Task MqttConnections_GoThroughTheGuard()
    {
        var refused = new GuardedMqttStreams(Guarded).ConnectAsync(new DnsEndPoint("127.0.0.1", Port), TestContext.Current.CancellationToken);
        await using var allowed = await new GuardedMqttStreams(OutboundGuard.AllowingAll)
            .ConnectAsync(new DnsEndPoint("127.0.0.1", Port), TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<PrivateAddressRefusedException>(() => refused);
        using var accepted = await _listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken);
        Assert.False(_listener.Pending());
    }

    [Fact]
    public async Task NatsConnections_GoThroughTheGuard_GossipedServersIncluded()
    {
        // NATS.Net asks the factory for the seed and for every server the cluster announces alike.
        var refused = new GuardedNatsSockets(Guarded).ConnectAsync(new Uri($"nats://127.0.0.1:{Port}"), NatsOpts.Default, TestContext.Current.CancellationToken);
        await using var allowed = await new GuardedNatsSockets(OutboundGuard.AllowingAll)
            .ConnectAsync(new Uri($"nats://127.0.0.1:{Port}"), NatsOpts.Default, TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<PrivateAddressRefusedException>(async () => await refused);
        using var accepted = await _listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken);
        Assert.False(_listener.Pending());
    }
}
