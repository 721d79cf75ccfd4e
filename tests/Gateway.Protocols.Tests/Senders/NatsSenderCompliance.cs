using System.Text.Json.Nodes;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.Nats;
using Gateway.Testing;
using NATS.Client.Core;

namespace Gateway.Protocols.Tests.Senders;

/// <summary>The NATS (core) sender against a real nats-server.</summary>
public sealed class NatsSenderCompliance(NatsServerFixture nats) : SenderCompliance, IClassFixture<NatsServerFixture>
{
    protected override IProtocolBinding Binding { get; } = new NatsProtocolBinding(OutboundGuard.AllowingAll);

    protected override (string Sink, JsonObject Settings) NewDestination(bool structured) =>
        (nats.Server.Url, new JsonObject
        {
            ["subject"] = "compliance." + Guid.NewGuid().ToString("N"),
            ["contentmode"] = structured ? "structured" : "binary",
        });

    protected override async Task<ISinkReader> OpenReaderAsync(string sink, JsonObject settings)
    {
        var connection = new NatsConnection(NatsOpts.Default with { Url = sink });
        var subscription = await connection.SubscribeCoreAsync<byte[]>(settings["subject"]!.GetValue<string>());
        // The server has the subscription once it answered a ping sent after it.
        await connection.PingAsync();
        return new Reader(connection, subscription);
    }

    protected override Task TakeDownAsync() => nats.Server.StopAsync();

    protected override Task BringUpAsync() => nats.Server.RestartAsync();

    /// <summary>nats-server's default <c>max_payload</c> is 1 MiB: a larger message is never taken.</summary>
    protected override (string Sink, JsonObject Settings, CloudEvent Event)? NeverAccepted(out string why)
    {
        why = string.Empty;
        var (sink, settings) = NewDestination(structured: false);
        return (sink, settings, Event("too-large", dataBytes: 1024 * 1024 + 1));
    }

    private sealed class Reader(NatsConnection connection, INatsSub<byte[]> subscription) : ISinkReader
    {
        public async Task<CloudEvent> NextAsync()
        {
            var message = await NatsServerFixture.NextAsync(subscription);
            return NatsCloudEventMessage.Decode(message.Headers, message.Data ?? [])
                ?? throw new InvalidOperationException("the message is not a CloudEvent");
        }

        public async ValueTask DisposeAsync()
        {
            await subscription.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
