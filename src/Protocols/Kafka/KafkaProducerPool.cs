using System.Collections.Concurrent;
using Confluent.Kafka;

namespace Gateway.Protocols.Kafka;

/// <summary>One producer per bootstrap list and credential set, shared by every subscription that uses them.</summary>
internal sealed class KafkaProducerPool : IDisposable
{
    private readonly ConcurrentDictionary<ProducerKey, Lazy<IProducer<byte[], byte[]>>> _producers = new();

    public IProducer<byte[], byte[]> Get(ProducerKey key) =>
        _producers.GetOrAdd(key, k => new Lazy<IProducer<byte[], byte[]>>(() => new ProducerBuilder<byte[], byte[]>(k.ToConfig()).Build())).Value;

    public void Dispose()
    {
        foreach (var producer in _producers.Values.Where(p => p.IsValueCreated))
        {
            producer.Value.Flush(TimeSpan.FromSeconds(5));
            producer.Value.Dispose();
        }
    }
}
