using System.Text.Json.Nodes;
using Gateway.SpecConformance.Infrastructure;
using Gateway.Testing;
using MQTTnet;
using MQTTnet.Packets;
using NATS.Client.Core;

namespace Gateway.SpecConformance;

/// <summary>
/// Every protocol's TLS connections trust the system's roots and <c>Gateway:Tls:TrustedCaFile</c>,
/// and a server whose certificate chains to neither is refused, which the subscription's or source's status says.
/// Each server is real and its certificate comes from a throwaway CA made with openssl (<see cref="TlsServers"/>).
/// </summary>
public sealed class TlsTrustTests(TlsServers tls) : IClassFixture<TlsServers>
{
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(30);

    private HttpClient Client => tls.Client;

    private async Task<(string Id, string Type)> SubscribeAsync(string protocol, string sink, string settings = "")
    {
        var type = GatewayApi.NewType();
        var created = await Client.CreateSubscriptionAsync($$$"""
            {"protocol":"{{{protocol}}}","sink":"{{{sink}}}","types":["{{{type}}}"]{{{settings}}},
             "delivery":{"retry":50,"backoffdelay":"PT0.2S","backoffmax":"PT1S"}}
            """);
        return (created["id"]!.GetValue<string>(), type);
    }

    /// <summary>The subscription's whole status once it mentions <paramref name="text"/>, or the last one seen.</summary>
    private async Task<string> StatusMentioningAsync(string id, string text)
    {
        var status = await Client.StatusWhenAsync(id, s => s.ToJsonString().Contains(text, StringComparison.Ordinal));
        return status.ToJsonString();
    }

    [Fact]
    public async Task Https_SinkWithACertificateFromTheTrustedCa_GetsTheEvent()
    {
        var path = tls.TrustedSink.NewPath();
        var (id, type) = await SubscribeAsync("HTTP", tls.TrustedSink.Url(path));
        await Client.WaitForStateAsync(id, "active");

        await Client.PostBinaryEventAsync("tls-http", type);
        var delivered = await tls.TrustedSink.NextAsync(path);

        Assert.Equal("tls-http", delivered.Header("ce-id"));
    }

    [Fact]
    public async Task Https_SinkWithACertificateFromAnotherCa_IsRefused_AndTheStatusSaysWhy()
    {
        var path = tls.ForeignSink.NewPath();
        var (id, type) = await SubscribeAsync("HTTP", tls.ForeignSink.Url(path));

        await Client.PostBinaryEventAsync("tls-http-refused", type);
        var status = await StatusMentioningAsync(id, "is not trusted");

        Assert.Contains("Gateway Test CA (foreign)", status, StringComparison.Ordinal);
        Assert.Contains("Gateway:Tls:TrustedCaFile", status, StringComparison.Ordinal);
        await Assert.ThrowsAsync<TimeoutException>(() => tls.ForeignSink.NextAsync(path, timeout: TimeSpan.FromMilliseconds(300)));
    }

    [Theory]
    [InlineData("MQTT5")]
    [InlineData("MQTT3")]
    public async Task Mqtts_BrokerWithTheTrustedCa_GetsTheEvent(string protocol)
    {
        await using var reader = await MqttTestClient.ConnectAsync(tls.Mosquitto.Url, Protocols.Mqtt.MqttVersion.V500);
        var topic = "tls/" + Guid.NewGuid().ToString("N");
        var (_, messages) = await reader.SubscribeAsync(topic, 1);
        var (id, type) = await SubscribeAsync(protocol, $"mqtts://localhost:{tls.MqttTrustedPort}", $$$""","protocolsettings":{"topicname":"{{{topic}}}"}""");
        await Client.WaitForStateAsync(id, "active");

        await Client.PostBinaryEventAsync("tls-mqtt", type);
        var message = await MqttTestClient.NextAsync(messages);

        // MQTT 5 carries the attributes as user properties (binary mode), MQTT 3.1.1 the JSON format (MQTT-02).
        var eventId = protocol == "MQTT5"
            ? message.UserProperties!.Single(p => p.Name == "id").ReadValueAsString()
            : JsonNode.Parse(message.ConvertPayloadToString())!["id"]!.GetValue<string>();
        Assert.Equal("tls-mqtt", eventId);
    }

    [Fact]
    public async Task Mqtts_BrokerWithAnotherCa_IsRefused_AndTheStatusSaysWhy()
    {
        var (id, type) = await SubscribeAsync("MQTT5", $"mqtts://localhost:{tls.MqttForeignPort}", ""","protocolsettings":{"topicname":"tls/refused"}""");

        await Client.PostBinaryEventAsync("tls-mqtt-refused", type);
        var status = await StatusMentioningAsync(id, "is not trusted");

        Assert.Contains("Gateway Test CA (foreign)", status, StringComparison.Ordinal);
    }

    /// <summary><c>nats://</c> goes over TLS too when the server requires it, with the same trust.</summary>
    [Theory]
    [InlineData("tls")]
    [InlineData("nats")]
    public async Task Nats_ServerRequiringTlsWithTheTrustedCa_GetsTheEvent(string scheme)
    {
        await using var reader = new NatsConnection(NatsOpts.Default with
        {
            Url = $"tls://localhost:{tls.TrustedNats.Port}",
            TlsOpts = new NatsTlsOpts { Mode = TlsMode.Require, CaFile = tls.Trusted.CaFile },
        });
        var subject = "tls." + Guid.NewGuid().ToString("N");
        await using var subscription = await reader.SubscribeCoreAsync<byte[]>(subject);
        await reader.PingAsync();
        var (id, type) = await SubscribeAsync("NATS", $"{scheme}://localhost:{tls.TrustedNats.Port}", $$$""","protocolsettings":{"subject":"{{{subject}}}"}""");
        await Client.WaitForStateAsync(id, "active");

        await Client.PostBinaryEventAsync("tls-nats", type);
        var message = await NatsServerFixture.NextAsync(subscription);

        Assert.Equal("tls-nats", message.Headers?["ce-id"].ToString());
    }

    [Fact]
    public async Task Nats_ServerWithAnotherCa_IsRefused_AndTheStatusSaysWhy()
    {
        var (id, type) = await SubscribeAsync("NATS", $"tls://localhost:{tls.ForeignNats.Port}", ""","protocolsettings":{"subject":"tls.refused"}""");

        await Client.PostBinaryEventAsync("tls-nats-refused", type);
        var status = await StatusMentioningAsync(id, "is not trusted");

        Assert.Contains("Gateway Test CA (foreign)", status, StringComparison.Ordinal);
    }

    /// <summary>
    /// librdkafka's mock broker speaks only plaintext and advertises its own address, so a produce cannot complete
    /// over TLS here: past the bootstrap the client goes to the plaintext port. What this shows is that the
    /// gateway's Kafka client accepted the trusted certificate and spoke Kafka through it.
    /// </summary>
    [Fact]
    public async Task Kafka_BrokerWithTheTrustedCa_CompletesTheHandshake_AndIsSpokenTo()
    {
        tls.Kafka.CreateTopic("tls-trusted", 1);
        var (id, type) = await SubscribeAsync(
            "KAFKA", $"localhost:{tls.TrustedKafka.Port}", ""","protocolsettings":{"topicname":"tls-trusted","tls":true}""");
        await Client.WaitForStateAsync(id, "active");

        await Client.PostBinaryEventAsync("tls-kafka", type);
        var deadline = DateTime.UtcNow + StatusTimeout;
        while (tls.TrustedKafka.RelayedBytes == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(tls.TrustedKafka.Handshakes > 0, "no TLS handshake completed");
        Assert.True(tls.TrustedKafka.RelayedBytes > 0, "nothing was sent through the handshake");
        var status = JsonNode.Parse(await Client.GetStringAsync($"subscriptions/{id}"))!["status"]!.ToJsonString();
        Assert.DoesNotContain("certificate verify failed", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kafka_BrokerWithAnotherCa_IsRefused_AndTheStatusSaysWhy()
    {
        tls.Kafka.CreateTopic("tls-foreign", 1);
        var (id, type) = await SubscribeAsync(
            "KAFKA", $"localhost:{tls.ForeignKafka.Port}", ""","protocolsettings":{"topicname":"tls-foreign","tls":true}""");

        await Client.PostBinaryEventAsync("tls-kafka-refused", type);
        var status = await StatusMentioningAsync(id, "certificate verify failed");

        Assert.Contains("certificate verify failed", status, StringComparison.Ordinal);
        Assert.Equal(0, tls.ForeignKafka.Handshakes);
    }

    [Fact]
    public async Task MqttSource_OverTlsWithTheTrustedCa_Connects_AndWithAnotherCaSaysWhy()
    {
        var trusted = await Client.CreateSourceAsync($$$"""
            {"protocol":"MQTT5","address":"mqtts://localhost:{{{tls.MqttTrustedPort}}}","protocolsettings":{"topicfilter":"tls/source/#"},
             "defaults":{"type":"io.gateway.tls","source":"/tests/tls"}}
            """);
        var foreign = await Client.CreateSourceAsync($$$"""
            {"protocol":"MQTT5","address":"mqtts://localhost:{{{tls.MqttForeignPort}}}","protocolsettings":{"topicfilter":"tls/source/#"},
             "defaults":{"type":"io.gateway.tls","source":"/tests/tls"}}
            """);

        var connected = await Client.SourceStatusWhenAsync(
            trusted["id"]!.GetValue<string>(), s => s["state"]?.GetValue<string>() == "connected", StatusTimeout);
        var refused = await Client.SourceStatusWhenAsync(
            foreign["id"]!.GetValue<string>(), s => s["lasterror"] is not null, StatusTimeout);

        Assert.Equal("connected", connected["state"]!.GetValue<string>());
        Assert.Contains("is not trusted", refused["lasterror"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrustedCaFile_ThatHoldsNoCertificate_StopsTheStart_NamingTheKey()
    {
        var notPem = Path.Combine(Directory.CreateTempSubdirectory("tls-config-").FullName, "ca.crt");
        await File.WriteAllTextAsync(notPem, "not a certificate");

        var (exitCode, output) = await GatewayProcess.RunToExitAsync($"--Gateway:Tls:TrustedCaFile={notPem}");

        Assert.Equal(2, exitCode);
        Assert.Contains("Gateway:Tls:TrustedCaFile", output, StringComparison.Ordinal);
    }
}
