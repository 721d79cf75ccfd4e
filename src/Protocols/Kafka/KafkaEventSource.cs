using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;

namespace Gateway.Protocols.Kafka;

/// <summary>
/// Reads a Kafka source's topics as one member of its consumer group. At least once: the records taken in
/// one round are appended together, and only then are their offsets stored for commit. When the append fails, or the
/// run is cancelled before it completes, nothing of the round is stored: the consumer leaves the group (committing
/// only earlier rounds) and the group (this node on its next run, or another node) reads those records again.
/// </summary>
internal sealed class KafkaEventSource(KafkaSourceSettings settings, SourceDefaults defaults, OutboundGuard guard) : IEventSource
{
    private const int RoundSize = 500;

    /// <summary>The longest wait for a first record; also how soon a stop is noticed while the topic is idle.</summary>
    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(500);

    public async Task RunAsync(SourceContext context, CancellationToken cancellationToken)
    {
        if (await KafkaBrokerGuard.RefusalAsync(guard, settings.Bootstrap, cancellationToken) is { } refused)
        {
            // The source manager runs the source again later; the name may resolve elsewhere by then.
            context.Health.Disconnected(refused, context.Time.GetUtcNow());
            throw new InvalidOperationException(refused);
        }

        using var consumer = KafkaGroupConsumer.Subscribe(settings.ToConfig(), settings.Topics, context.Health, context.Time);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var round = await consumer.NextRoundAsync(RoundSize, IdleWait, cancellationToken);
            if (round.Count > 0)
            {
                var events = round.ConvertAll(record => KafkaRecordEvents.ToCloudEvent(record, defaults, context));
                await context.Appender.AppendAsync(events, cancellationToken);
                consumer.Store(round);
                context.Health.Connected();
                context.Health.Received(events.Count, context.Time.GetUtcNow());
            }

            context.Health.Lag(consumer.Lag());
        }
    }
}
