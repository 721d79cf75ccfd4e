using System.Text.Json;
using Gateway.Protocols.Http;
using Gateway.Protocols.Kafka;
using Gateway.Protocols.Mqtt;
using Gateway.Protocols.Nats;
using NATS.Client.Core;
using Sdk = CloudNative.CloudEvents;

namespace Gateway.Protocols.Tests;

/// <summary>
/// The binding adapters plugin authors get in the CNCF SDK's shape: an SDK event through each
/// binding and back is the same event, attribute by attribute.
/// </summary>
public sealed class SdkBindingAdapterTests
{
    private static Sdk.CloudEvent Event() => new()
    {
        Id = "sdk-1",
        Source = new Uri("urn:example:adapter"),
        Type = "com.example.adapted",
        Subject = "Euro €",
        Time = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero),
        DataContentType = "application/json",
        Data = JsonDocument.Parse("""{"n":1}""").RootElement.Clone(),
        ["tenant"] = "blue",
    };

    public static TheoryData<Sdk.ContentMode> Modes => [Sdk.ContentMode.Binary, Sdk.ContentMode.Structured];

    [Theory]
    [MemberData(nameof(Modes))]
    public void Mqtt5_RoundTrips(Sdk.ContentMode mode) =>
        AssertSame(Event(), Event().ToMqttApplicationMessage(mode, "t/1", MqttVersion.V500).ToCloudEvent(MqttVersion.V500));

    [Theory]
    [MemberData(nameof(Modes))]
    public void Kafka_RoundTrips(Sdk.ContentMode mode) =>
        AssertSame(Event(), Event().ToKafkaMessage(mode).ToCloudEvent());

    [Theory]
    [MemberData(nameof(Modes))]
    public void Nats_RoundTrips(Sdk.ContentMode mode)
    {
        var (headers, payload) = Event().ToNatsMessage(mode);

        AssertSame(Event(), new NatsMsg<byte[]>("s", null, payload.Length, headers, payload.ToArray(), null).ToCloudEvent());
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Http_RoundTrips_AsRequestAndAsResponse(Sdk.ContentMode mode)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://sink.example/") { Content = Event().ToHttpContent(mode) };
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = Event().ToHttpContent(mode) };

        AssertSame(Event(), await request.ToCloudEventAsync(TestContext.Current.CancellationToken));
        AssertSame(Event(), await response.ToCloudEventAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void ModesABindingDoesNotHave_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => Event().ToHttpContent((Sdk.ContentMode)42));
        Assert.Throws<ArgumentException>(() => Event().ToMqttApplicationMessage(Sdk.ContentMode.Binary, "t", MqttVersion.V311));
        Assert.Throws<ArgumentException>(() => Event().ToKafkaMessage((Sdk.ContentMode)42));
        Assert.Throws<ArgumentException>(() => Event().ToNatsMessage((Sdk.ContentMode)42));
    }

    private static void AssertSame(Sdk.CloudEvent expected, Sdk.CloudEvent actual)
    {
        Assert.Equal(
            expected.GetPopulatedAttributes().ToDictionary(a => a.Key.Name, a => a.Key.Format(a.Value)),
            actual.GetPopulatedAttributes().ToDictionary(a => a.Key.Name, a => a.Key.Format(a.Value)));
        Assert.Equal(((JsonElement)expected.Data!).GetRawText(), ((JsonElement)actual.Data!).GetRawText());
    }
}
