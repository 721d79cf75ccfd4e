using System.Collections.Concurrent;
using Confluent.Kafka;

namespace Gateway.Protocols.Kafka;

/// <summary>One producer per bootstrap list and credential set, shared by every subscription that uses them.</summary>
internal sealed class KafkaProducerPool : IDisposable
{
    private readonly ConcurrentDictionary<ProducerKey, Lazy<IProducer<byte[], byte[]>>> _producers = new();
    private readonly ConcurrentDictionary<ProducerKey, string> _lastErrors = new();

    public IProducer<byte[], byte[]> Get(ProducerKey key) =>
        _producers.GetOrAdd(key, k => new Lazy<IProducer<byte[], byte[]>>(() => Build(k))).Value;

    /// <summary>
    /// What librdkafka last reported about the brokers of <paramref name="key"/> (a refused certificate, a refused
    /// login), or null: a record that times out says only that, and this says why.
    /// </summary>
    public string? LastError(ProducerKey key) => _lastErrors.GetValueOrDefault(key);

    public void Dispose()
    {
        foreach (var producer in _producers.Values.Where(p => p.IsValueCreated))
        {
            producer.Value.Flush(TimeSpan.FromSeconds(5));
            producer.Value.Dispose();
        }
    }

    private IProducer<byte[], byte[]> Build(ProducerKey key) =>
        new ProducerBuilder<byte[], byte[]>(key.ToConfig())
            .SetErrorHandler((_, error) => _lastErrors[key] = error.Reason)
            .Build();
}
