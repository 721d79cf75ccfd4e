using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Protocols.CloudEvents.Json;
using Gateway.Protocols.Mqtt;
using Gateway.Protocols.Nats;
using Gateway.SpecConformance.Infrastructure;
using Gateway.Testing;
using NATS.Client.Core;

namespace Gateway.SpecConformance;

/// <summary>
/// NATS (JetStream) and MQTT 5 sources end to end: declared through <c>POST /sources</c> on the gateway,
/// fed by a real nats-server and Mosquitto, their messages delivered to a subscription's HTTP sink as CloudEvents.
/// </summary>
public sealed class SourcesNatsMqttTests(ConformanceEnvironment env, NatsServerFixture nats, MosquittoFixture mqtt)
    : IClassFixture<NatsServerFixture>, IClassFixture<MosquittoFixture>
{
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(15);

    private static byte[] StructuredEvent(string id, string type) => Encoding.UTF8.GetBytes($$$"""
        {"specversion":"1.0","id":"{{{id}}}","source":"/tests/brokers","type":"{{{type}}}","data":{"n":1}}
        """);

    [Fact]
    public async Task NatsJetStreamSource_DeliversCloudEventsAndWrappedMessagesToTheSink()
    {
        var (type, path) = await SubscribeAsync();
        var prefix = "orders" + Guid.NewGuid().ToString("N");
        var stream = await CreateStreamAsync(prefix);
        var id = await CreateSourceAsync($$$"""
            {"protocol":"NATS","address":"{{{nats.Server.Url}}}","protocolsettings":{"stream":"{{{stream}}}","durable":"gateway"},
             "defaults":{"type":"{{{type}}}","source":"/tests/nats"}}
            """);

        var (headers, payload) = NatsCloudEventMessage.ToBinary(JsonEventFormat.Parse(StructuredEvent("nats-ce-1", type)));
        await PublishToStreamAsync($"{prefix}.created", headers, payload);
        await PublishToStreamAsync($"{prefix}.plain", new NatsHeaders { ["Content-Type"] = "text/plain" }, "hello"u8.ToArray());
        var first = await env.Sink.NextAsync(path);
        var second = await env.Sink.NextAsync(path);

        Assert.Equal(("nats-ce-1", "/tests/brokers", """{"n":1}"""), (first.Header("ce-id"), first.Header("ce-source"), first.BodyText));
        Assert.Equal(($"{stream}-2", "/tests/nats", $"{prefix}.plain", "hello"),
            (second.Header("ce-id"), second.Header("ce-source"), second.Header("ce-subject"), second.BodyText));
        var status = await env.Client.SourceStatusWhenAsync(id, s => s["events"]!.GetValue<long>() >= 2, StatusTimeout);
        Assert.Equal(0, status["lag"]!.GetValue<long>());
        await DeleteSourceAsync(id);
    }

    [Fact]
    public async Task Mqtt5Source_DeliversCloudEventsAndWrappedMessagesToTheSink()
    {
        var (type, path) = await SubscribeAsync();
        var topic = "sensors/" + Guid.NewGuid().ToString("N");
        var id = await CreateSourceAsync($$$"""
            {"protocol":"MQTT5","address":"{{{mqtt.Broker.Url}}}","protocolsettings":{"topicfilter":"{{{topic}}}/#"},
             "defaults":{"type":"{{{type}}}","source":"/tests/mqtt","datacontenttype":"application/json"}}
            """);
        await env.Client.SourceStatusWhenAsync(id, s => s["state"]!.GetValue<string>() == "connected", StatusTimeout);

        var binary = MqttCloudEventMessage.ToBinary(JsonEventFormat.Parse(StructuredEvent("mqtt-ce-1", type)), $"{topic}/a");
        Assert.True((await mqtt.V5.PublishAsync(binary)).IsSuccess);
        Assert.True((await mqtt.V5.PublishAsync(MqttTestClient.Message($"{topic}/b", """{"celsius":21.5}"""u8.ToArray()))).IsSuccess);
        var first = await env.Sink.NextAsync(path);
        var second = await env.Sink.NextAsync(path);

        Assert.Equal(("mqtt-ce-1", "/tests/brokers", """{"n":1}"""), (first.Header("ce-id"), first.Header("ce-source"), first.BodyText));
        Assert.Equal(("/tests/mqtt", $"{topic}/b", "application/json", """{"celsius":21.5}"""),
            (second.Header("ce-source"), second.Header("ce-subject"), second.Header("Content-Type"), second.BodyText));
        await DeleteSourceAsync(id);
    }

    private async Task<string> CreateSourceAsync(string json) => (await env.Client.CreateSourceAsync(json))["id"]!.GetValue<string>();

    private async Task DeleteSourceAsync(string id)
    {
        using var deleted = await env.Client.DeleteAsync($"sources/{id}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
    }

    private async Task<(string Type, string Path)> SubscribeAsync()
    {
        var type = GatewayApi.NewType();
        var path = env.Sink.NewPath();
        var subscription = await env.Client.CreateSubscriptionAsync(
            $$$"""{"sink":"{{{env.Sink.Url(path)}}}","protocol":"HTTP","types":["{{{type}}}"]}""");
        await env.Client.WaitForStateAsync(subscription["id"]!.GetValue<string>(), "active");
        return (type, path);
    }

    private Task<string> CreateStreamAsync(string prefix) => nats.CreateStreamAsync($"{prefix}.>");

    private Task PublishToStreamAsync(string subject, NatsHeaders headers, ReadOnlyMemory<byte> payload) =>
        nats.PublishToStreamAsync(subject, headers, payload);
}
