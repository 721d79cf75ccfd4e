using System.Net;
using System.Text.Json.Nodes;
using Gateway.SpecConformance.Infrastructure;

namespace Gateway.SpecConformance;

/// <summary>
/// The KAFKA source end to end: declared through <c>POST /sources</c>, fed through librdkafka's mock
/// cluster, its records delivered to a subscription's HTTP sink; at least once across a SIGKILL; refused with a 400
/// when librdkafka cannot be loaded.
/// </summary>
public sealed class KafkaSourceApiTests(ConformanceEnvironment env, KafkaFixture kafka) : IClassFixture<KafkaFixture>
{
    private static readonly TimeSpan GroupJoin = TimeSpan.FromSeconds(30);

    private string NewTopic()
    {
        var topic = "api-source-" + Guid.NewGuid().ToString("N");
        kafka.Cluster.CreateTopic(topic, 1);
        return topic;
    }

    private static string SourceJson(string address, string topic, string type) => $$$"""
        {"protocol":"KAFKA","address":"{{{address}}}","protocolsettings":{"topicname":["{{{topic}}}"]},
         "defaults":{"type":"{{{type}}}","source":"/tests/kafka"}}
        """;

    private static async Task<(string Type, string Path)> SubscribeAsync(HttpClient client, SinkServer sink)
    {
        var type = GatewayApi.NewType();
        var path = sink.NewPath();
        var subscription = await client.CreateSubscriptionAsync($$$"""{"sink":"{{{sink.Url(path)}}}","protocol":"HTTP","types":["{{{type}}}"]}""");
        await client.WaitForStateAsync(subscription["id"]!.GetValue<string>(), "active");
        return (type, path);
    }

    [Fact]
    public async Task PostedKafkaSource_DeliversCloudEventsAndWrappedRecordsToTheSink()
    {
        var topic = NewTopic();
        var (type, path) = await SubscribeAsync(env.Client, env.Sink);
        var created = await env.Client.CreateSourceAsync(SourceJson("kafka://" + kafka.Cluster.Bootstrap, topic, type));
        var id = created["id"]!.GetValue<string>();

        using var producer = new KafkaTestProducer(kafka.Cluster.Bootstrap);
        await producer.ProduceAsync(topic, """{"n":1}""", headers: new Dictionary<string, string>
        {
            ["ce_specversion"] = "1.0", ["ce_id"] = "kafka-ce-1", ["ce_source"] = "/tests/brokers", ["ce_type"] = type,
            ["content-type"] = "application/json",
        });
        await producer.ProduceAsync(topic, """{"total":3}""", key: "order-9"u8.ToArray(), headers: new Dictionary<string, string>
        {
            ["content-type"] = "application/json",
        });
        var first = await env.Sink.NextAsync(path, timeout: GroupJoin);
        var second = await env.Sink.NextAsync(path);

        Assert.Equal($"gateway-{id}", created["protocolsettings"]!["consumergroup"]!.GetValue<string>());
        Assert.Equal("earliest", created["protocolsettings"]!["startoffset"]!.GetValue<string>());
        Assert.Equal(("kafka-ce-1", "/tests/brokers", """{"n":1}"""), (first.Header("ce-id"), first.Header("ce-source"), first.BodyText));
        Assert.Equal(($"{topic}-0-1", "/tests/kafka", "order-9", """{"total":3}"""),
            (second.Header("ce-id"), second.Header("ce-source"), second.Header("ce-subject"), second.BodyText));
        var status = await env.Client.SourceStatusWhenAsync(id, s => s["events"]!.GetValue<long>() == 2 && s["lag"]?.GetValue<long>() == 0, GroupJoin);
        Assert.Equal("connected", status["state"]!.GetValue<string>());
        using var deleted = await env.Client.DeleteAsync($"sources/{id}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
    }

    [Fact]
    public async Task GatewayKilledMidStream_AfterTheRestartEveryRecordReachesTheSink()
    {
        const int Half = 100;
        var topic = NewTopic();
        var dataDirectory = Directory.CreateTempSubdirectory("gateway-kafka-source-").FullName;
        var gateway = await GatewayProcess.StartAsync(dataDirectory);
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var (type, path) = await SubscribeAsync(client, env.Sink);
        await client.CreateSourceAsync(SourceJson(kafka.Cluster.Bootstrap, topic, type));
        using var producer = new KafkaTestProducer(kafka.Cluster.Bootstrap);
        for (var i = 0; i < Half; i++)
        {
            await producer.ProduceAsync(topic, $$"""{"n":{{i}}}""");
        }

        var beforeKill = await env.Sink.CollectAsync(path, received => received.Count > 0, GroupJoin);
        gateway.Kill();
        await gateway.DisposeAsync();
        for (var i = Half; i < 2 * Half; i++)
        {
            await producer.ProduceAsync(topic, $$"""{"n":{{i}}}""");
        }

        await using var restarted = await GatewayProcess.StartAsync(dataDirectory);
        var expected = Enumerable.Range(0, 2 * Half).Select(i => $"{topic}-0-{i}").ToHashSet();
        var afterRestart = await env.Sink.CollectAsync(
            path, received => expected.IsSubsetOf(beforeKill.Concat(received).Select(r => r.Header("ce-id")!)), TimeSpan.FromSeconds(90));

        Assert.NotEmpty(beforeKill);
        Assert.Empty(expected.Except(beforeKill.Concat(afterRestart).Select(r => r.Header("ce-id")!)));
    }

    [Fact]
    public async Task MissingLibrdkafka_KafkaSourcesAreRefusedWith400_AndTheApiWorks()
    {
        await using var gateway = await GatewayProcess.StartAsync(settings: new Dictionary<string, string>
        {
            ["Gateway:Kafka:LibraryPath"] = "/nonexistent/librdkafka.so",
        });
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };

        using var response = await client.PostAsync("sources", GatewayApi.Json(SourceJson(kafka.Cluster.Bootstrap, "orders", "com.example.t")));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        using var list = await client.GetAsync("sources");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single(problem["errors"]!.AsArray());
        Assert.Equal("protocol", error!["field"]!.GetValue<string>());
        Assert.Contains("librdkafka cannot be loaded", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }
}
