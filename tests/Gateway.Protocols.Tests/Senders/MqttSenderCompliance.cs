using System.Text.Json.Nodes;
using System.Threading.Channels;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.Mqtt;
using Gateway.Testing;
using MQTTnet;

namespace Gateway.Protocols.Tests.Senders;

/// <summary>The MQTT 5 sender against a real Mosquitto.</summary>
public sealed class MqttSenderCompliance(MosquittoFixture mqtt) : SenderCompliance, IClassFixture<MosquittoFixture>
{
    protected override IProtocolBinding Binding { get; } = new MqttProtocolBinding(MqttVersion.V500, OutboundGuard.AllowingAll);

    protected override (string Sink, JsonObject Settings) NewDestination(bool structured) =>
        (mqtt.Broker.Url, new JsonObject
        {
            ["topicname"] = "compliance/" + Guid.NewGuid().ToString("N"),
            ["contentmode"] = structured ? "structured" : "binary",
        });

    protected override async Task<ISinkReader> OpenReaderAsync(string sink, JsonObject settings)
    {
        var client = await MqttTestClient.ConnectAsync(sink, MqttVersion.V500);
        var (_, messages) = await client.SubscribeAsync(settings["topicname"]!.GetValue<string>(), 1);
        return new Reader(client, messages);
    }

    protected override Task TakeDownAsync() => mqtt.Broker.StopAsync();

    protected override Task BringUpAsync() => mqtt.Broker.RestartAsync();

    protected override (string Sink, JsonObject Settings, CloudEvent Event)? NeverAccepted(out string why)
    {
        // Mosquitto takes every well-formed publish of a client it let in; a refusal needs an ACL per topic, and the
        // sender's reading of refusing reason codes is covered by the MQTT sink's black-box tests.
        why = "Mosquitto, as configured here, refuses no valid publish";
        return null;
    }

    private sealed class Reader(MqttTestClient client, ChannelReader<MqttApplicationMessage> messages) : ISinkReader
    {
        public async Task<CloudEvent> NextAsync() =>
            MqttCloudEventMessage.Decode(await MqttTestClient.NextAsync(messages), MqttVersion.V500)
            ?? throw new InvalidOperationException("the message is not a CloudEvent");

        public ValueTask DisposeAsync() => client.DisposeAsync();
    }
}
