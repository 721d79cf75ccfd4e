using System.Text.Json.Nodes;
using Confluent.Kafka;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.Kafka;
using Gateway.Testing;

namespace Gateway.Protocols.Tests.Senders;

/// <summary>The Kafka sender against librdkafka's mock cluster (a Kafka-protocol broker in memory).</summary>
public sealed class KafkaSenderCompliance : SenderCompliance, IDisposable
{
    private readonly KafkaMockCluster _cluster = new();

    protected override IProtocolBinding Binding { get; } = new KafkaProtocolBinding(libraryPath: null, OutboundGuard.AllowingAll);

    /// <summary>The producer gives up on a broker that is away after its 10 s message timeout, and says so then.</summary>
    protected override TimeSpan AttemptBound => TimeSpan.FromSeconds(15);

    public void Dispose() => _cluster.Dispose();

    protected override (string Sink, JsonObject Settings) NewDestination(bool structured)
    {
        var topic = "compliance-" + Guid.NewGuid().ToString("N");
        _cluster.CreateTopic(topic, 1);
        return ("kafka://" + _cluster.Bootstrap, new JsonObject { ["topicname"] = topic, ["contentmode"] = structured ? "structured" : "binary" });
    }

    protected override Task<ISinkReader> OpenReaderAsync(string sink, JsonObject settings)
    {
        var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = _cluster.Bootstrap,
            GroupId = "compliance-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(settings["topicname"]!.GetValue<string>());
        return Task.FromResult<ISinkReader>(new Reader(consumer));
    }

    protected override Task TakeDownAsync()
    {
        _cluster.TakeDown();
        return Task.CompletedTask;
    }

    protected override Task BringUpAsync()
    {
        _cluster.BringUp();
        return Task.CompletedTask;
    }

    /// <summary>A record over the producer's <c>message.max.bytes</c> (1 MB) is never taken.</summary>
    protected override (string Sink, JsonObject Settings, CloudEvent Event)? NeverAccepted(out string why)
    {
        why = string.Empty;
        var (sink, settings) = NewDestination(structured: false);
        return (sink, settings, Event("too-large", dataBytes: 1024 * 1024 + 1));
    }

    private sealed class Reader(IConsumer<byte[]?, byte[]?> consumer) : ISinkReader
    {
        public Task<CloudEvent> NextAsync() => Task.Run(() =>
        {
            var consumed = consumer.Consume(TimeSpan.FromSeconds(15)) ?? throw new TimeoutException("no record within 15 s");
            return KafkaCloudEventMessage.Decode(KafkaConsumedRecord.From(consumed).Record);
        });

        public ValueTask DisposeAsync()
        {
            consumer.Close();
            consumer.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
