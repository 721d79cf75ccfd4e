using System.Text;
using Confluent.Kafka;

namespace Gateway.SpecConformance.Infrastructure;

/// <summary>
/// Writes records for the Kafka source tests with Confluent.Kafka's producer, which runs on Debian's librdkafka (the
/// gateway's Kafka sink uses it too); each record goes to the partition named, so tests know where it sits.
/// </summary>
public sealed class KafkaTestProducer(string bootstrap) : IDisposable
{
    private readonly IProducer<byte[]?, byte[]?> _producer =
        new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = bootstrap }).Build();

    /// <summary>Produces one record and waits until the broker has it; returns its offset.</summary>
    public async Task<long> ProduceAsync(
        string topic, string? value, int partition = 0, byte[]? key = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        var message = new Message<byte[]?, byte[]?> { Key = key, Value = value is null ? null : Encoding.UTF8.GetBytes(value), Headers = [] };
        foreach (var (name, text) in headers ?? new Dictionary<string, string>())
        {
            message.Headers.Add(name, Encoding.UTF8.GetBytes(text));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var report = await _producer.ProduceAsync(new TopicPartition(topic, partition), message, timeout.Token);
        return report.Offset.Value;
    }

    public void Dispose() => _producer.Dispose();
}
