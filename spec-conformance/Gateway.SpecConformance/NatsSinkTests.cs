using System.Text;
using System.Text.Json.Nodes;
using Gateway.SpecConformance.Infrastructure;
using Gateway.Testing;
using NATS.Client.Core;

namespace Gateway.SpecConformance;

/// <summary>The NATS sink against a real nats-server: the binding (§4.4, NATS-01 to NATS-05) and JetStream acks.</summary>
public sealed class NatsSinkTests(ConformanceEnvironment env, NatsServerFixture nats) : IClassFixture<NatsServerFixture>
{
    private readonly Dictionary<string, string> _streams = [];

    private HttpClient Client => env.Client;

    private async Task<(string Subject, string Type, string Id)> SubscribeAsync(string settings = "", string delivery = "")
    {
        var subject = "events." + Guid.NewGuid().ToString("N");
        var type = GatewayApi.NewType();
        var created = await Client.CreateSubscriptionAsync($$$"""
            {"protocol":"NATS","sink":"{{{nats.Server.Url}}}","types":["{{{type}}}"],
             "protocolsettings":{"subject":"{{{subject}}}"{{{settings}}}}{{{delivery}}}}
            """);
        var id = created["id"]!.GetValue<string>();
        await Client.WaitForStateAsync(id, "active");
        return (subject, type, id);
    }

    [Fact]
    public async Task NATS_04_NATS_05_BinaryMode_EveryAttributeIsAPercentEncodedHeader()
    {
        var (subject, type, _) = await SubscribeAsync();
        var messages = await nats.SubscribeAsync(subject);

        await Client.PostBinaryEventAsync("nats-1", type, headers: new Dictionary<string, string>
        {
            ["ce-subject"] = "Euro%20%E2%82%AC%20%F0%9F%98%80",
            ["ce-myext"] = "x",
        });
        var message = await NatsServerFixture.NextAsync(messages);

        Assert.Equal("nats-1", message.Headers!["ce-id"].ToString());
        Assert.Equal("1.0", message.Headers["ce-specversion"].ToString());
        Assert.Equal(type, message.Headers["ce-type"].ToString());
        Assert.Equal("Euro%20%E2%82%AC%20%F0%9F%98%80", message.Headers["ce-subject"].ToString());
        Assert.Equal("x", message.Headers["ce-myext"].ToString());
        Assert.Equal("application/json", message.Headers["ce-datacontenttype"].ToString());
        Assert.Equal("{\"n\":1}", Encoding.UTF8.GetString(message.Data!));
    }

    [Fact]
    public async Task NATS_03_StructuredMode_IsTheJsonFormat()
    {
        var (subject, type, _) = await SubscribeAsync(""","contentmode":"structured" """);
        var messages = await nats.SubscribeAsync(subject);

        await Client.PostBinaryEventAsync("nats-2", type);
        var message = await NatsServerFixture.NextAsync(messages);
        var json = JsonNode.Parse(message.Data!)!;

        Assert.Equal("application/cloudevents+json", message.Headers!["Content-Type"].ToString());
        Assert.Equal("nats-2", json["id"]!.GetValue<string>());
        Assert.Equal(1, json["data"]!["n"]!.GetValue<int>());
    }

    [Fact]
    public async Task JetStream_WithoutAStream_IsRetried_UntilAStreamAcknowledges()
    {
        var (subject, type, id) = await SubscribeAsync(""","jetstream":true""", ""","delivery":{"backoffdelay":"PT0.2S","backoffmax":"PT0.5S","retry":100}""");

        await Client.PostBinaryEventAsync("js-1", type);
        var failing = await Client.StatusWhenAsync(id, s => s["lastfailure"] is not null);
        await CreateStreamAsync(subject);
        var recovered = await Client.StatusWhenAsync(id, s => s["lastsuccess"] is not null && s["backlog"]!.GetValue<long>() == 0);

        Assert.Contains("503", failing["lastfailure"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, await StreamMessagesAsync(subject));
        Assert.NotNull(recovered["lastsuccess"]);
        Assert.Equal(0, recovered["backlog"]!.GetValue<long>());
    }

    [Fact]
    public async Task JetStream_ServerRestartMidStream_LosesNothing()
    {
        var (subject, type, id) = await SubscribeAsync(""","jetstream":true""", ""","delivery":{"backoffdelay":"PT0.2S","backoffmax":"PT1S","retry":1000,"maxinflight":4}""");
        await CreateStreamAsync(subject);

        for (var i = 0; i < 20; i++)
        {
            await Client.PostBinaryEventAsync($"before-{i}", type);
        }

        await nats.Server.StopAsync();
        for (var i = 0; i < 20; i++)
        {
            await Client.PostBinaryEventAsync($"during-{i}", type);
        }

        await nats.Server.RestartAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        long stored = 0;
        while (DateTime.UtcNow < deadline && (stored = await StreamMessagesAsync(subject)) < 40)
        {
            await Task.Delay(200);
        }

        Assert.True(stored >= 40, $"the stream holds {stored} of 40 messages");
        var status = await Client.StatusWhenAsync(id, s => s["backlog"]!.GetValue<long>() == 0);
        Assert.Equal(0, status["backlog"]!.GetValue<long>());
    }

    [Fact]
    public async Task InvalidNatsSubscription_IsRejected()
    {
        using var response = await Client.PostAsync("subscriptions", GatewayApi.Json(
            """{"protocol":"NATS","sink":"http://127.0.0.1:4222","protocolsettings":{"subject":"a.*","contentmode":"both"}}"""));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"field\":\"sink\"", body, StringComparison.Ordinal);
        Assert.Contains("\"field\":\"protocolsettings.subject\"", body, StringComparison.Ordinal);
        Assert.Contains("\"field\":\"protocolsettings.contentmode\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_PlainIsUserAndPassword_AndAWrongOneIsReported()
    {
        await using var guarded = await NatsServerProcess.StartAsync("--user", "gateway", "--pass", "s3cret");
        await using var reader = new NatsConnection(NatsOpts.Default with
        {
            Url = guarded.Url, AuthOpts = NatsAuthOpts.Default with { Username = "gateway", Password = "s3cret" },
        });
        var subject = "guarded." + Guid.NewGuid().ToString("N");
        var messages = await reader.SubscribeCoreAsync<byte[]>(subject);
        var type = GatewayApi.NewType();
        string Subscription(string secret) => $$$"""
            {"protocol":"NATS","sink":"{{{guarded.Url}}}","types":["{{{type}}}"],"protocolsettings":{"subject":"{{{subject}}}"},
             "sinkcredential":{"credentialtype":"PLAIN","identifier":"gateway","secret":"{{{secret}}}"},"delivery":{"backoffdelay":"PT10S"}}
            """;
        await Client.CreateSubscriptionAsync(Subscription("s3cret"));
        var wrong = await Client.CreateSubscriptionAsync(Subscription("wrong"));

        await Client.PostBinaryEventAsync("guarded-1", type);
        var delivered = await NatsServerFixture.NextAsync(messages);
        var refused = await Client.StatusWhenAsync(wrong["id"]!.GetValue<string>(), s => s["lastfailure"] is not null);

        Assert.Equal("guarded-1", delivered.Headers!["ce-id"].ToString());
        Assert.Contains("Authorization Violation", refused["lastfailure"]!["reason"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    private async Task CreateStreamAsync(string subject) => _streams[subject] = await nats.CreateStreamAsync(subject);

    private Task<long> StreamMessagesAsync(string subject) => nats.StreamMessagesAsync(_streams[subject]);
}
