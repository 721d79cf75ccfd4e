using System.Net;
using System.Text.Json.Nodes;
using Gateway.SpecConformance.Infrastructure;

namespace Gateway.SpecConformance;

/// <summary>
/// With <c>Gateway:Delivery:AllowPrivateSinks=false</c>, no protocol's sink, dead-letter
/// destination or source reaches a loopback or private address, in any of its spellings (<see cref="PrivateAddressTrap"/>).
/// </summary>
public sealed class OutboundSafetyTests(PrivateAddressTrap trap) : IClassFixture<PrivateAddressTrap>
{
    private HttpClient Client => trap.Client;

    private int Port => trap.Port;

    public static TheoryData<string, string> LiteralForms()
    {
        var data = new TheoryData<string, string>();
        string[] hosts = ["127.1", "0x7f000001", "2130706433", "0177.0.0.1", "[::1]", "[::ffff:127.0.0.1]", "10.0.0.7", "[fe80::1]", "169.254.169.254"];
        foreach (var host in hosts)
        {
            data.Add("MQTT3", host);
            data.Add("MQTT5", host);
            data.Add("NATS", host);
            data.Add("KAFKA", host);
        }

        return data;
    }

    private static string Sink(string protocol, string host, int port) => protocol switch
    {
        "MQTT3" or "MQTT5" => $"mqtt://{host}:{port}",
        "NATS" => $"nats://{host}:{port}",
        _ => $"kafka://{host}:{port}",
    };

    private static string Settings(string protocol) => protocol switch
    {
        "MQTT3" or "MQTT5" => """{"topicname":"t"}""",
        "NATS" => """{"subject":"s"}""",
        _ => """{"topicname":"t"}""",
    };

    [Theory]
    [MemberData(nameof(LiteralForms))]
    public async Task EveryProtocol_RefusesLiteralPrivateAddresses_AtCreate(string protocol, string host)
    {
        using var response = await Client.PostAsync("subscriptions", GatewayApi.Json(
            $$"""{"protocol":"{{protocol}}","sink":"{{Sink(protocol, host, Port)}}","protocolsettings":{{Settings(protocol)}}}"""));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{protocol} {host}: {(int)response.StatusCode} {body}");
        Assert.Contains("AllowPrivateSinks", body, StringComparison.Ordinal);
        Assert.Equal("sink", JsonNode.Parse(body)!["errors"]![0]!["field"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("MQTT3", "localhost")]
    [InlineData("MQTT5", "localhost.")]
    [InlineData("NATS", "events.localhost")]
    [InlineData("KAFKA", "localhost")]
    public async Task NamesThatResolveToLoopback_AreRefusedWhenConnecting_AndNothingConnects(string protocol, string host)
    {
        var created = await Client.CreateSubscriptionAsync(
            $$"""{"protocol":"{{protocol}}","sink":"{{Sink(protocol, host, Port)}}","protocolsettings":{{Settings(protocol)}}}""");
        var id = created["id"]!.GetValue<string>();
        using var posted = await Client.PostBinaryEventAsync("ssrf-1", GatewayApi.NewType());

        var status = await Client.StatusWhenAsync(id, s => s["state"]?.GetValue<string>() == "validation-failed");

        Assert.Equal("validation-failed", status["state"]?.GetValue<string>());
        Assert.Contains("AllowPrivateSinks", status["reason"]?.GetValue<string>() ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(0, trap.Connections);
    }

    [Fact]
    public async Task DeadLetterDestinations_AreGuardedToo()
    {
        using var response = await Client.PostAsync("subscriptions", GatewayApi.Json(
            """{"protocol":"HTTP","sink":"https://example.com/hook","delivery":{"deadletter":{"protocol":"NATS","sink":"nats://127.1:PORT","protocolsettings":{"subject":"dead"}}}}"""
                .Replace("PORT", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.Contains("AllowPrivateSinks", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MQTT3", "mqtt://0x7f000001:{0}", """{"topicfilter":"a/#"}""")]
    [InlineData("NATS", "nats://[::ffff:127.0.0.1]:{0}", """{"subject":"a.>"}""")]
    [InlineData("KAFKA", "2130706433:{0}", """{"topicname":"t","consumergroup":"g"}""")]
    public async Task Sources_RefuseLiteralPrivateAddresses(string protocol, string address, string settings)
    {
        using var response = await Client.PostAsync("sources", GatewayApi.Json(
            $$$"""{"protocol":"{{{protocol}}}","address":"{{{string.Format(System.Globalization.CultureInfo.InvariantCulture, address, Port)}}}","protocolsettings":{{{settings}}},"defaults":{"type":"t","source":"/s"}}"""));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.Contains("AllowPrivateSinks", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_MqttSource_NamedByLocalhost_NeverConnects()
    {
        var created = await Client.CreateSourceAsync(
            $$$"""{"protocol":"MQTT5","address":"mqtt://localhost:{{{Port}}}","protocolsettings":{"topicfilter":"a/#"},"defaults":{"type":"t","source":"/s"}}""");

        var status = await Client.SourceStatusWhenAsync(
            created["id"]!.GetValue<string>(), s => s["lasterror"] is not null, TimeSpan.FromSeconds(15));

        Assert.Contains("AllowPrivateSinks", status["lasterror"]?.GetValue<string>() ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(0, trap.Connections);
    }
}
