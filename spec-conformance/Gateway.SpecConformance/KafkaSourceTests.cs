using System.Text;
using System.Text.Json.Nodes;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.Kafka;
using Gateway.SpecConformance.Infrastructure;
using Gateway.Testing;

namespace Gateway.SpecConformance;

/// <summary>
/// The KAFKA event source run in this process against librdkafka's mock cluster, with a test event log:
/// the Kafka binding read back (KAFKA-03, KAFKA-05), records that are not CloudEvents wrapped, at least once (offsets
/// committed only after the append), and a consumer group shared between readers.
/// </summary>
public sealed class KafkaSourceTests(KafkaFixture kafka) : IClassFixture<KafkaFixture>
{
    private static readonly SourceDefaults Defaults = new("com.example.kafka.record", "/kafka/orders", null);

    private readonly KafkaSourceBinding _binding = new(libraryPath: null, OutboundGuard.AllowingAll);

    private string NewTopic(int partitions = 1)
    {
        var topic = "source-" + Guid.NewGuid().ToString("N");
        kafka.Cluster.CreateTopic(topic, partitions);
        return topic;
    }

    private SourceSpec Spec(string topic, string? group = null, string startOffset = "earliest") => new(
        "src-" + Guid.NewGuid().ToString("N"),
        "kafka://" + kafka.Cluster.Bootstrap,
        new JsonObject { ["topicname"] = topic, ["consumergroup"] = group ?? "group-" + Guid.NewGuid().ToString("N"), ["startoffset"] = startOffset },
        null,
        Defaults);

    [Fact]
    public async Task KAFKA_03_05_BinaryStructuredAndPlainRecords_BecomeTheRightEvents()
    {
        var topic = NewTopic();
        using var producer = new KafkaTestProducer(kafka.Cluster.Bootstrap);
        await producer.ProduceAsync(topic, """{"n":1}""", headers: new Dictionary<string, string>
        {
            ["ce_specversion"] = "1.0", ["ce_id"] = "bin-1", ["ce_source"] = "/shop", ["ce_type"] = "com.example.created",
            ["ce_partitionkey"] = "customer-42", ["content-type"] = "application/json",
        });
        await producer.ProduceAsync(topic, """{"specversion":"1.0","id":"str-1","source":"/shop","type":"com.example.updated","data":{"n":2}}""",
            headers: new Dictionary<string, string> { ["content-type"] = "application/cloudevents+json; charset=utf-8" });
        await producer.ProduceAsync(topic, "plain text", key: "order-7"u8.ToArray(), headers: new Dictionary<string, string> { ["content-type"] = "text/plain" });
        await producer.ProduceAsync(topic, "no id", headers: new Dictionary<string, string> { ["ce_specversion"] = "1.0", ["ce_type"] = "t" });
        await producer.ProduceAsync(topic, null, key: [0xFF, 0xFE]);
        var appender = new TestEventAppender();

        await using var source = SourceRun.Start(_binding, Spec(topic), appender);
        var events = await appender.TakeAsync(5);
        var health = await source.HealthWhenAsync(h => h.Lag == 0);

        Assert.Equal(["bin-1", "str-1", $"{topic}-0-2", $"{topic}-0-3", $"{topic}-0-4"], events.Select(e => e.Id));
        var (binary, structured, plain, invalid, empty) = (events[0], events[1], events[2], events[3], events[4]);
        Assert.Equal(("/shop", "com.example.created", "application/json"), (binary.Source, binary.Type, binary.DataContentType));
        Assert.Equal("""{"n":1}""", Encoding.UTF8.GetString(binary.Data.Bytes.Span));
        Assert.True(binary.TryGetAttribute("partitionkey", out var partitionKey) && partitionKey.Text == "customer-42");
        Assert.Equal("com.example.updated", structured.Type);
        Assert.Equal((Defaults.Type, Defaults.Source, "order-7", "text/plain"), (plain.Type, plain.Source, plain.Subject, plain.DataContentType));
        Assert.Equal("plain text", Encoding.UTF8.GetString(plain.Data.Bytes.Span));
        Assert.NotNull(plain.Time);
        Assert.Equal("no id", Encoding.UTF8.GetString(invalid.Data.Bytes.Span));
        Assert.Contains($"record {topic}-0-3 claims to be a CloudEvent", health.LastError, StringComparison.Ordinal);
        Assert.Null(empty.Subject);
        Assert.False(empty.Data.IsPresent);
        Assert.True(health.Connected);
        Assert.Equal(5, health.Events);
    }

    [Fact]
    public async Task AppendFails_NothingIsCommitted_TheRecordComesAgainAsTheSameEvent()
    {
        var topic = NewTopic();
        var spec = Spec(topic);
        using var producer = new KafkaTestProducer(kafka.Cluster.Bootstrap);
        await producer.ProduceAsync(topic, "first");
        var failing = new TestEventAppender(AppendOutcome.Fail);

        await using (var source = SourceRun.Start(_binding, spec, failing))
        {
            await Assert.ThrowsAsync<IOException>(() => source.Completion.WaitAsync(TimeSpan.FromSeconds(30)));
        }

        var keeping = new TestEventAppender();
        await using var again = SourceRun.Start(_binding, spec, keeping);
        var redelivered = Assert.Single(await keeping.TakeAsync(1));

        Assert.Equal($"{topic}-0-0", (await failing.FirstAttempt.Task).Single().Id);
        Assert.Equal($"{topic}-0-0", redelivered.Id);
        Assert.Equal("first", Encoding.UTF8.GetString(redelivered.Data.Bytes.Span));
    }

    [Fact]
    public async Task StoppedBeforeTheAppendCompleted_OnRestartOnlyTheUncommittedRecordsComeAgain()
    {
        var topic = NewTopic();
        var spec = Spec(topic);
        using var producer = new KafkaTestProducer(kafka.Cluster.Bootstrap);
        await producer.ProduceAsync(topic, "a");
        await producer.ProduceAsync(topic, "b");
        var keeping = new TestEventAppender();
        await using (var source = SourceRun.Start(_binding, spec, keeping))
        {
            await keeping.TakeAsync(2);
        }

        await producer.ProduceAsync(topic, "c");
        await producer.ProduceAsync(topic, "d");
        var hanging = new TestEventAppender(AppendOutcome.Hang);
        await using (var crashed = SourceRun.Start(_binding, spec, hanging))
        {
            await hanging.FirstAttempt.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        await producer.ProduceAsync(topic, "e");
        var restarted = new TestEventAppender();
        await using var again = SourceRun.Start(_binding, spec, restarted);
        var events = await restarted.TakeAsync(3);

        Assert.Equal("c", Encoding.UTF8.GetString((await hanging.FirstAttempt.Task)[0].Data.Bytes.Span));
        Assert.Equal(["c", "d", "e"], events.Select(e => Encoding.UTF8.GetString(e.Data.Bytes.Span)));
        Assert.Equal([$"{topic}-0-2", $"{topic}-0-3", $"{topic}-0-4"], events.Select(e => e.Id));
    }

    [Fact]
    public async Task TwoSourcesInOneGroup_SplitThePartitions_EachRecordReachesOne()
    {
        var topic = NewTopic(partitions: 2);
        var group = "shared-" + Guid.NewGuid().ToString("N");
        var appender = new TestEventAppender();
        await using var a = SourceRun.Start(_binding, Spec(topic, group), appender);
        await a.HealthWhenAsync(h => h.Connected);
        await using var b = SourceRun.Start(_binding, Spec(topic, group), appender);
        await b.HealthWhenAsync(h => h.Connected);

        using var producer = new KafkaTestProducer(kafka.Cluster.Bootstrap);
        for (var i = 0; i < 10; i++)
        {
            await producer.ProduceAsync(topic, $"r{i}", partition: i % 2);
        }

        var events = await appender.TakeAsync(10);
        await a.HealthWhenAsync(h => h.Events == 5);
        await b.HealthWhenAsync(h => h.Events == 5);

        Assert.Equal(10, events.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task StartOffsetLatest_ANewGroupSkipsWhatWasThereBefore()
    {
        var topic = NewTopic();
        using var producer = new KafkaTestProducer(kafka.Cluster.Bootstrap);
        await producer.ProduceAsync(topic, "before");
        var appender = new TestEventAppender();
        await using var source = SourceRun.Start(_binding, Spec(topic, startOffset: "latest"), appender);
        await source.HealthWhenAsync(h => h.Connected);

        // The group's start position is resolved after the assignment; a marker produced before that would be skipped
        // too, so markers go until one is read.
        CloudEvent? first = null;
        for (var attempt = 0; attempt < 30 && first is null; attempt++)
        {
            await producer.ProduceAsync(topic, "marker");
            first = await appender.NextOrNullAsync(TimeSpan.FromSeconds(1));
        }

        Assert.NotNull(first);
        Assert.Equal("marker", Encoding.UTF8.GetString(first.Data.Bytes.Span));
        Assert.NotEqual($"{topic}-0-0", first.Id);
    }

    [Fact]
    public void Validation_FillsTheDefaults_AcceptsABareBootstrapListAndATopicArray()
    {
        var spec = new SourceSpec("s1", "a:9092,b:9093", new JsonObject { ["topicname"] = new JsonArray("orders", "payments") }, null, Defaults);
        var errors = new List<ValidationError>();

        _binding.ValidateAndComplete(spec, errors);

        Assert.Empty(errors);
        Assert.Equal("gateway-s1", spec.Settings["consumergroup"]!.GetValue<string>());
        Assert.Equal("earliest", spec.Settings["startoffset"]!.GetValue<string>());
    }

    [Fact]
    public void Validation_NamesEveryBadField()
    {
        var settings = JsonNode.Parse("""
            {"topicname":["orders", 5],"consumergroup":"","startoffset":"middle","tls":"yes","partitionkeyextractor":"x"}
            """)!.AsObject();
        var credential = new SinkCredential { CredentialType = SinkCredential.AccessTokenType, AccessToken = "t" };
        var errors = new List<ValidationError>();

        _binding.ValidateAndComplete(new SourceSpec("s2", "kafka://no-port", settings, credential, Defaults), errors);

        Assert.Equal(
            ["address", "credential.credentialtype", "protocolsettings.consumergroup", "protocolsettings.partitionkeyextractor",
             "protocolsettings.startoffset", "protocolsettings.tls", "protocolsettings.topicname"],
            errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"topicname":[]}""")]
    [InlineData("""{"topicname":"^orders.*"}""")]
    [InlineData("""{"topicname":".."}""")]
    public void Validation_TopicNameIsRequired_AndOnlyPlainTopicNames(string settings)
    {
        var errors = new List<ValidationError>();

        _binding.ValidateAndComplete(new SourceSpec("s3", "kafka://a:9092", JsonNode.Parse(settings)!.AsObject(), null, Defaults), errors);

        Assert.Equal("protocolsettings.topicname", Assert.Single(errors).Field);
    }
}
