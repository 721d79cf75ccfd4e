using System.Text;
using System.Text.Json.Nodes;
using System.Diagnostics;
using Gateway.SpecConformance.Infrastructure;
using Gateway.Testing;

namespace Gateway.SpecConformance;

/// <summary>A mock Kafka cluster for the Kafka tests of one class.</summary>
public sealed class KafkaFixture : IDisposable
{
    public KafkaMockCluster Cluster { get; } = new();

    public void Dispose() => Cluster.Dispose();
}

/// <summary>The KAFKA sink against librdkafka's mock cluster, read back with a real consumer (§4.2, KAFKA-01 to KAFKA-07).</summary>
public sealed class KafkaSinkTests(ConformanceEnvironment env, KafkaFixture kafka) : IClassFixture<KafkaFixture>
{
    private HttpClient Client => env.Client;

    private async Task<(string Topic, string Type, string Id)> SubscribeAsync(string settings = "", string delivery = "", bool kafkaScheme = true)
    {
        var topic = "events-" + Guid.NewGuid().ToString("N");
        var type = GatewayApi.NewType();
        var sink = kafkaScheme ? "kafka://" + kafka.Cluster.Bootstrap : kafka.Cluster.Bootstrap;
        var created = await Client.CreateSubscriptionAsync($$$"""
            {"protocol":"KAFKA","sink":"{{{sink}}}","types":["{{{type}}}"],
             "protocolsettings":{"topicname":"{{{topic}}}"{{{settings}}}}{{{delivery}}}}
            """);
        var id = created["id"]!.GetValue<string>();
        await Client.WaitForStateAsync(id, "active");
        return (topic, type, id);
    }

    /// <summary>
    /// Reads the topic from the beginning with kcat, a real Kafka consumer nobody here wrote (Debian's package, over
    /// Debian's own librdkafka, which the gateway never loads: KafkaLibrary binds the redist's build).
    /// </summary>
    private async Task<List<KafkaRecordRead>> ConsumeAsync(string topic, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var records = new List<KafkaRecordRead>();
        while (records.Count < count && DateTime.UtcNow < deadline)
        {
            var start = new ProcessStartInfo("kcat") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "-b", kafka.Cluster.Bootstrap, "-C", "-t", topic, "-o", "beginning", "-e", "-J", "-q" })
            {
                start.ArgumentList.Add(argument);
            }

            using var kcat = Process.Start(start)!;
            var output = await kcat.StandardOutput.ReadToEndAsync();
            await kcat.WaitForExitAsync();
            records = [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(KafkaRecordRead.Parse)];
            if (records.Count < count)
            {
                await Task.Delay(500);
            }
        }

        return records;
    }

    [Fact]
    public async Task KAFKA_05_BinaryMode_CeHeadersContentTypeAndTheDataAsValue_PartitionKeyAsKey()
    {
        var (topic, type, _) = await SubscribeAsync(""","partitionkeyextractor":"partitionkey" """);

        await Client.PostBinaryEventAsync("k-1", type, headers: new Dictionary<string, string>
        {
            ["ce-partitionkey"] = "customer-42", ["ce-subject"] = "Euro%20%E2%82%AC",
        });
        var record = Assert.Single(await ConsumeAsync(topic, 1, TimeSpan.FromSeconds(20)));

        Assert.Equal("k-1", record.Header("ce_id"));
        Assert.Equal("1.0", record.Header("ce_specversion"));
        Assert.Equal(type, record.Header("ce_type"));
        Assert.Equal("Euro €", record.Header("ce_subject"));
        Assert.Equal("customer-42", record.Header("ce_partitionkey"));
        Assert.Equal("application/json", record.Header("content-type"));
        Assert.Equal("customer-42", record.Key);
        Assert.Equal("{\"n\":1}", record.Payload);
    }

    [Fact]
    public async Task KAFKA_07_StructuredMode_TheJsonFormatWithItsContentType()
    {
        var (topic, type, _) = await SubscribeAsync(""","contentmode":"structured","acks":"1" """, kafkaScheme: false);

        await Client.PostBinaryEventAsync("k-2", type);
        var record = Assert.Single(await ConsumeAsync(topic, 1, TimeSpan.FromSeconds(20)));

        Assert.Equal("application/cloudevents+json", record.Header("content-type"));
        Assert.Null(record.Key);
        Assert.Equal("k-2", JsonNode.Parse(record.Payload!)!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task BrokerAwayAndBack_LosesNothing()
    {
        var (topic, type, id) = await SubscribeAsync(delivery: ""","delivery":{"backoffdelay":"PT0.5S","backoffmax":"PT2S","retry":1000}""");
        await Client.PostBinaryEventAsync("before", type);
        Assert.Single(await ConsumeAsync(topic, 1, TimeSpan.FromSeconds(20)));

        kafka.Cluster.TakeDown();
        for (var i = 0; i < 5; i++)
        {
            await Client.PostBinaryEventAsync($"away-{i}", type);
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        kafka.Cluster.BringUp();
        var all = await ConsumeAsync(topic, 6, TimeSpan.FromSeconds(60));

        var ids = all.Select(r => r.Header("ce_id")).ToHashSet();
        Assert.Superset(new HashSet<string?> { "before", "away-0", "away-1", "away-2", "away-3", "away-4" }, ids);
        var status = JsonNode.Parse(await Client.GetStringAsync($"subscriptions/{id}"))!["status"]!;
        Assert.NotNull(status["lastsuccess"]);
    }

    [Fact]
    public async Task MissingLibrdkafka_KafkaSinksSayWhy_AndEverythingElseWorks()
    {
        await using var gateway = await GatewayProcess.StartAsync(settings: new Dictionary<string, string>
        {
            ["Gateway:Kafka:LibraryPath"] = "/nonexistent/librdkafka.so",
        });
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };
        var path = env.Sink.NewPath();
        var type = GatewayApi.NewType();

        var kafkaSubscription = await client.CreateSubscriptionAsync(
            $$$"""{"protocol":"KAFKA","sink":"kafka://{{{kafka.Cluster.Bootstrap}}}","protocolsettings":{"topicname":"t"}}""");
        var failed = await client.WaitForStateAsync(kafkaSubscription["id"]!.GetValue<string>(), "validation-failed");
        var http = await client.CreateSubscriptionAsync($$$"""{"protocol":"HTTP","sink":"{{{env.Sink.Url(path)}}}","types":["{{{type}}}"]}""");
        await client.WaitForStateAsync(http["id"]!.GetValue<string>(), "active");
        await client.PostBinaryEventAsync("still-works", type);

        Assert.Contains("librdkafka cannot be loaded", failed["status"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("still-works", (await env.Sink.NextAsync(path)).Header("ce-id"));
    }

    [Theory]
    [InlineData("""{"protocol":"KAFKA","sink":"not a bootstrap","protocolsettings":{"topicname":"t","acks":"some","partitionkeyextractor":"$.key"}}""", "sink", "protocolsettings.acks", "protocolsettings.partitionkeyextractor")]
    [InlineData("""{"protocol":"KAFKA","sink":"a:9092,b:9093","protocolsettings":{"ackmode":2}}""", "protocolsettings.topicname", "protocolsettings.acks", null)]
    public async Task InvalidKafkaSubscription_IsRejected(string body, string first, string second, string? third)
    {
        using var response = await Client.PostAsync("subscriptions", GatewayApi.Json(body));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        foreach (var field in new[] { first, second, third }.OfType<string>())
        {
            Assert.Contains($"\"field\":\"{field}\"", text, StringComparison.Ordinal);
        }
    }
}

/// <summary>One record as kcat -J prints it: key, payload, and headers as a flat [name, value, …] list.</summary>
public sealed record KafkaRecordRead(string? Key, string? Payload, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public string? Header(string name) => Headers.LastOrDefault(h => h.Key == name).Value;

    public static KafkaRecordRead Parse(string line)
    {
        var json = JsonNode.Parse(line)!;
        var flat = json["headers"] is JsonArray list ? list.Select(h => h!.GetValue<string>()).ToArray() : [];
        var headers = Enumerable.Range(0, flat.Length / 2).Select(i => KeyValuePair.Create(flat[2 * i], flat[(2 * i) + 1])).ToArray();
        return new KafkaRecordRead(json["key"]?.GetValue<string>(), json["payload"]?.GetValue<string>(), headers);
    }
}
