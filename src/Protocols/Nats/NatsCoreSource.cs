using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Nats;

/// <summary>
/// A core NATS subscription in a queue group, so that the gateway nodes share the messages (each goes to one member).
/// Core NATS is at most once by nature: the server hands a message out once and takes no acknowledgement, so a
/// message in flight when the node stops, or whose append fails, is gone. Use a JetStream source to lose nothing.
/// </summary>
internal sealed class NatsCoreSource(NatsOptions options, string subject, string queueGroup, SourceDefaults defaults) : IEventSource
{
    private const int MaxBatch = 100;

    public async Task RunAsync(SourceContext context, CancellationToken cancellationToken)
    {
        await using var connection = await NatsSourceEvents.ConnectAsync(options, context, cancellationToken);
        var subscription = await connection.SubscribeAsync(subject, queueGroup, cancellationToken);
        var reader = new SourceMessageReader<NatsMessage>(subscription.Messages, () => connection.IsConnected, context, options.Url);
        while (true)
        {
            var batch = await reader.NextAsync(MaxBatch, null, cancellationToken);
            var events = batch.ConvertAll(m => NatsSourceEvents.ToEvent(m, () => Guid.NewGuid().ToString(), defaults, context));
            await context.Appender.AppendAsync(events, cancellationToken);
            context.Health.Received(events.Count, context.Time.GetUtcNow());
        }
    }

}
