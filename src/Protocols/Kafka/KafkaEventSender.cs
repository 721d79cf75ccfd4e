using Confluent.Kafka;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;

namespace Gateway.Protocols.Kafka;

/// <summary>
/// Produces one subscription's events. Delivery reports map to: persisted, delivered; an unknown topic (auto-create
/// off), a message too large or an authorization failure, permanent; anything else (a broker that is away), retry.
/// </summary>
internal sealed class KafkaEventSender(KafkaProducerPool producers, KafkaSinkSettings sink, OutboundGuard guard) : IEventSender
{
    /// <summary>A bootstrap server the guard refuses shows in the subscription's status, and its events wait.</summary>
    public async ValueTask<SinkValidation> ValidateSinkAsync(CancellationToken cancellationToken) =>
        await KafkaBrokerGuard.RefusalAsync(guard, sink.Producer.Bootstrap, cancellationToken) is { } refused
            ? new SinkValidation(false, refused)
            : SinkValidation.NotRequired;

    public async ValueTask<DeliveryResult> SendAsync(CloudEvent cloudEvent, CancellationToken cancellationToken)
    {
        var record = KafkaCloudEventMessage.Encode(cloudEvent, sink.Structured, sink.PartitionKeyAsKey);
        var message = new Message<byte[], byte[]> { Key = record.Key!, Value = record.Value!, Headers = [] };
        foreach (var (name, value) in record.Headers)
        {
            message.Headers.Add(name, value);
        }

        try
        {
            var report = await producers.Get(sink.Producer).ProduceAsync(sink.Topic, message, cancellationToken);
            return report.Status == PersistenceStatus.NotPersisted
                ? new DeliveryResult(DeliveryOutcome.Retry, Reason: "the broker did not persist the record")
                : DeliveryResult.Delivered();
        }
        catch (ProduceException<byte[], byte[]> ex)
        {
            var reason = WithLastError($"Kafka: {ex.Error.Reason} ({ex.Error.Code})");
            return ex.Error.Code is ErrorCode.UnknownTopicOrPart or ErrorCode.Local_UnknownTopic or ErrorCode.MsgSizeTooLarge
                or ErrorCode.TopicAuthorizationFailed or ErrorCode.InvalidMsg
                ? new DeliveryResult(DeliveryOutcome.Permanent, (int)ex.Error.Code, reason)
                : new DeliveryResult(DeliveryOutcome.Retry, (int)ex.Error.Code, reason);
        }
        catch (KafkaException ex)
        {
            return new DeliveryResult(DeliveryOutcome.Retry, (int)ex.Error.Code, WithLastError($"Kafka: {ex.Error.Reason}"));
        }
    }

    private string WithLastError(string reason) =>
        producers.LastError(sink.Producer) is { } last ? $"{reason}; the brokers last said: {last}" : reason;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>The sender of a Kafka sink when librdkafka cannot be loaded: it says why, as the sink's consent step.</summary>
internal sealed class UnavailableKafkaSender(string reason) : IEventSender
{
    public ValueTask<SinkValidation> ValidateSinkAsync(CancellationToken cancellationToken) => ValueTask.FromResult(new SinkValidation(false, reason));

    public ValueTask<DeliveryResult> SendAsync(CloudEvent cloudEvent, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new DeliveryResult(DeliveryOutcome.Retry, Reason: reason));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
