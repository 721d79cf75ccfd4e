using System.Buffers;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudNative.CloudEvents;
using Gateway.SpecConformance.Infrastructure;
using Gateway.Testing;
using MQTTnet;

namespace Gateway.SpecConformance;

/// <summary>
/// The gateway with a client nobody here wrote: producers built on the CNCF CloudEvents SDK post binary,
/// structured and batched events, and what the sinks receive is decoded by the SDK and compared attribute by
/// attribute with what was sent. The events stay within what the SDK itself round-trips (environment.md: it cuts
/// <c>time</c> to 7 fractional digits and reads extensions as strings).
/// </summary>
public sealed class SdkClientTests(ConformanceEnvironment env, MosquittoFixture mqtt, NatsServerFixture nats)
    : IClassFixture<MosquittoFixture>, IClassFixture<NatsServerFixture>
{
    private HttpClient Client => env.Client;

    private static CloudEvent Event(string type, string id) => new(CloudEventsSpecVersion.V1_0)
    {
        Id = id,
        Source = new Uri("urn:example:sdk-producer"),
        Type = type,
        Subject = "Euro € \"quoted\" 100%",
        Time = new DateTimeOffset(2026, 12, 7, 10, 30, 0, 123, TimeSpan.Zero),
        DataSchema = new Uri("https://example.com/schemas/order.json"),
        DataContentType = "application/json",
        Data = JsonDocument.Parse("""{"order":42,"items":["a","b"]}""").RootElement.Clone(),
        ["tenant"] = "blue",
    };

    [Theory]
    [InlineData("binary", "binary")]
    [InlineData("binary", "structured")]
    [InlineData("structured", "binary")]
    [InlineData("structured", "structured")]
    public async Task AnSdkProducersEvent_ReachesAnHttpSink_AsTheSameEvent(string ingress, string delivery)
    {
        var (type, path) = await SubscribeHttpAsync(delivery);
        var sent = Event(type, $"sdk-{ingress}-{delivery}");

        using var response = ingress == "binary"
            ? await Client.SendAsync(SdkHttp.Binary(sent, "events"))
            : await Client.PostAsync("events", SdkHttp.Structured(sent));
        var received = SdkHttp.Read(await env.Sink.NextAsync(path));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        AssertSame(sent, received);
    }

    [Fact]
    public async Task AnSdkBatch_ReachesTheSink_EventByEvent()
    {
        var (type, path) = await SubscribeHttpAsync("binary");
        var sent = Enumerable.Range(0, 3).Select(i => Event(type, $"sdk-batch-{i}")).ToList();

        using var response = await Client.PostAsync("events", SdkHttp.Batch(sent));
        var received = await env.Sink.CollectAsync(path, r => r.Count == sent.Count, TimeSpan.FromSeconds(15));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        foreach (var expected in sent)
        {
            AssertSame(expected, received.Select(SdkHttp.Read).Single(e => e.Id == expected.Id));
        }
    }

    [Fact]
    public async Task AnSdkEvent_ReachesAnMqtt5Sink_AndTheSdkReadsItsJsonFormat()
    {
        var type = GatewayApi.NewType();
        var topic = "sdk/" + Guid.NewGuid().ToString("N");
        await ActiveAsync($$$"""
            {"protocol":"MQTT5","sink":"{{{mqtt.Broker.Url}}}","types":["{{{type}}}"],
             "protocolsettings":{"topicname":"{{{topic}}}","contentmode":"structured"}}
            """);
        var (_, messages) = await mqtt.V5.SubscribeAsync(topic, 1);
        var sent = Event(type, "sdk-mqtt");

        await Client.PostAsync("events", SdkHttp.Structured(sent));
        var message = await MqttTestClient.NextAsync(messages);

        AssertSame(sent, SdkHttp.Formatter.DecodeStructuredModeMessage(
            message.Payload.ToArray(), new System.Net.Mime.ContentType(message.ContentType!), extensionAttributes: null));
    }

    [Fact]
    public async Task AnSdkEvent_ReachesANatsSink_AndTheSdkReadsItsJsonFormat()
    {
        var type = GatewayApi.NewType();
        var subject = "sdk." + Guid.NewGuid().ToString("N");
        await ActiveAsync($$$"""
            {"protocol":"NATS","sink":"{{{nats.Server.Url}}}","types":["{{{type}}}"],
             "protocolsettings":{"subject":"{{{subject}}}","contentmode":"structured"}}
            """);
        var messages = await nats.SubscribeAsync(subject);
        var sent = Event(type, "sdk-nats");

        await Client.PostAsync("events", SdkHttp.Structured(sent));
        var message = await NatsServerFixture.NextAsync(messages);

        AssertSame(sent, SdkHttp.Formatter.DecodeStructuredModeMessage(
            message.Data, new System.Net.Mime.ContentType(message.Headers!["Content-Type"].ToString()), extensionAttributes: null));
    }

    /// <summary>Every attribute the producer set, with the same value (as the SDK writes it), and the same JSON data.</summary>
    private static void AssertSame(CloudEvent expected, CloudEvent actual)
    {
        var sent = expected.GetPopulatedAttributes().ToDictionary(a => a.Key.Name, a => a.Key.Format(a.Value));
        var received = actual.GetPopulatedAttributes().ToDictionary(a => a.Key.Name, a => a.Key.Format(a.Value));

        Assert.Equal(sent, received);
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(((JsonElement)expected.Data!).GetRawText()), JsonNode.Parse(((JsonElement)actual.Data!).GetRawText())),
            $"data differs: {actual.Data}");
    }

    private async Task<(string Type, string Path)> SubscribeHttpAsync(string contentMode)
    {
        var type = GatewayApi.NewType();
        var path = env.Sink.NewPath();
        await ActiveAsync($$$"""
            {"protocol":"HTTP","sink":"{{{env.Sink.Url(path)}}}","types":["{{{type}}}"],"protocolsettings":{"contentmode":"{{{contentMode}}}"}}
            """);
        return (type, path);
    }

    private async Task ActiveAsync(string subscription)
    {
        var created = await Client.CreateSubscriptionAsync(subscription);
        await Client.WaitForStateAsync(created["id"]!.GetValue<string>(), "active");
    }
}
