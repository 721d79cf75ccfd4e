using Gateway.Protocols.Abstractions;
using NATS.Client.Core;

namespace Gateway.Protocols.Nats;

/// <summary>
/// A core NATS subscription in a queue group, so that the gateway nodes share the messages (each goes to one member).
/// Core NATS is at most once by nature: the server hands a message out once and takes no acknowledgement, so a
/// message in flight when the node stops, or whose append fails, is gone. Use a JetStream source to lose nothing.
/// </summary>
internal sealed class NatsCoreSource(NatsOpts options, string subject, string queueGroup, SourceDefaults defaults) : IEventSource
{
    private const int MaxBatch = 100;

    public async Task RunAsync(SourceContext context, CancellationToken cancellationToken)
    {
        await using var connection = await NatsSourceEvents.ConnectAsync(options, context, cancellationToken);
        await using var subscription = await connection.SubscribeCoreAsync<byte[]>(subject, queueGroup, cancellationToken: cancellationToken);
        var reader = new SourceMessageReader<NatsMsg<byte[]>>(
            subscription.Msgs, () => NatsSourceEvents.IsConnected(connection), context, NatsAddress.Display(options));
        while (true)
        {
            var batch = await reader.NextAsync(MaxBatch, null, cancellationToken);
            var events = batch.ConvertAll(m =>
                NatsSourceEvents.ToEvent(m.Subject, m.Headers, m.Data, () => Guid.NewGuid().ToString(), defaults, context));
            await context.Appender.AppendAsync(events, cancellationToken);
            context.Health.Received(events.Count, context.Time.GetUtcNow());
        }
    }
}
