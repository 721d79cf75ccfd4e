using Gateway.Protocols.Mqtt;
using Gateway.Protocols.Mqtt.Packets;
using Gateway.Testing;

namespace Gateway.Protocols.Tests.Sources;

/// <summary>A real Mosquitto for the MQTT source tests, and a publisher of each version.</summary>
public sealed class MosquittoFixture : IAsyncLifetime
{
    public MosquittoProcess Broker { get; private set; } = null!;

    public MqttClient V5 { get; private set; } = null!;

    public MqttClient V3 { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Broker = await MosquittoProcess.StartAsync();
        V5 = await MqttClient.ConnectAsync(new MqttClientOptions { Url = new Uri(Broker.Url), Version = MqttVersion.V500 });
        V3 = await MqttClient.ConnectAsync(new MqttClientOptions { Url = new Uri(Broker.Url), Version = MqttVersion.V311 });
    }

    /// <summary>Publishes with QoS 1 and checks the broker took it.</summary>
    public async Task PublishAsync(MqttPublishPacket message, MqttVersion version = MqttVersion.V500)
    {
        var result = await (version == MqttVersion.V500 ? V5 : V3).PublishAsync(message with { QoS = 1 });
        Assert.True(result.IsSuccess, $"the broker answered 0x{result.ReasonCode:X2}");
    }

    public async ValueTask DisposeAsync()
    {
        await V5.DisposeAsync();
        await V3.DisposeAsync();
        await Broker.DisposeAsync();
    }
}
