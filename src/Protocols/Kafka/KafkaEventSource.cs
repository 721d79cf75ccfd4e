using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;

namespace Gateway.Protocols.Kafka;

/// <summary>
/// Reads a Kafka source's topics as one member of its consumer group. At least once (issue #12): the records taken in
/// one round are appended together, and only then are their offsets committed. When the append fails, or the run is
/// cancelled before it completes, nothing of the round is committed: the consumer leaves the group and the group
/// (this node on its next run, or another node) reads those records again.
/// </summary>
internal sealed class KafkaEventSource(KafkaSourceSettings settings, SourceDefaults defaults) : IEventSource
{
    private const int RoundSize = 500;

    // The longest idle wait between polls; see KafkaGroupConsumer.WaitAsync.
    private static readonly TimeSpan IdleWake = TimeSpan.FromSeconds(1);

    public async Task RunAsync(SourceContext context, CancellationToken cancellationToken)
    {
        using var consumer = KafkaGroupConsumer.Subscribe(settings.ToConfig(), settings.Topics, context.Health, context.Time);
        var round = new List<KafkaConsumedRecord>(RoundSize);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            round.Clear();
            while (round.Count < RoundSize && consumer.TryPoll(out var record))
            {
                round.Add(record);
            }

            if (round.Count > 0)
            {
                var events = new CloudEvent[round.Count];
                for (var i = 0; i < round.Count; i++)
                {
                    events[i] = KafkaRecordEvents.ToCloudEvent(round[i], defaults, context);
                }

                await context.Appender.AppendAsync(events, cancellationToken);
                consumer.Commit(round);
                context.Health.Connected();
                context.Health.Received(events.Length, context.Time.GetUtcNow());
            }

            context.Health.Lag(consumer.Lag());
            if (round.Count < RoundSize)
            {
                await consumer.WaitAsync(IdleWake, cancellationToken);
            }
        }
    }

}
