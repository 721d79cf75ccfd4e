using System.Text;
using System.Text.Json.Nodes;
using Gateway.Protocols.Nats;
using Gateway.Testing;

namespace Gateway.Protocols.Tests.Sources;

/// <summary>A real nats-server with JetStream for the NATS source tests, and a client that publishes to it.</summary>
public sealed class NatsServerFixture : IAsyncLifetime
{
    public NatsServerProcess Server { get; private set; } = null!;

    public NatsConnection Publisher { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = await NatsServerProcess.StartAsync();
        Publisher = await NatsConnection.ConnectAsync(new NatsOptions { Url = new Uri(Server.Url) });
    }

    /// <summary>Creates a stream (in memory) of the subjects under <paramref name="prefix"/>; returns its name.</summary>
    public async Task<string> CreateStreamAsync(string prefix)
    {
        var name = "S" + Guid.NewGuid().ToString("N");
        var config = Encoding.UTF8.GetBytes($$"""{"name":"{{name}}","subjects":["{{prefix}}.>"],"storage":"memory"}""");
        var reply = await Publisher.RequestAsync($"$JS.API.STREAM.CREATE.{name}", null, config, TimeSpan.FromSeconds(5));
        Assert.Null(JsonNode.Parse(reply.Payload)!["error"]);
        return name;
    }

    /// <summary>Publishes into a stream and waits for its PubAck.</summary>
    public async Task PublishToStreamAsync(string subject, NatsHeaders? headers, ReadOnlyMemory<byte> payload)
    {
        var ack = await Publisher.RequestAsync(subject, headers, payload, TimeSpan.FromSeconds(5));
        Assert.NotNull(JsonNode.Parse(ack.Payload)!["seq"]);
    }

    public async ValueTask DisposeAsync()
    {
        await Publisher.DisposeAsync();
        await Server.DisposeAsync();
    }
}
