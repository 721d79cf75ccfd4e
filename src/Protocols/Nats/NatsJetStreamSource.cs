using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Nats;

/// <summary>
/// A JetStream durable pull consumer. Every node pulls from the same consumer, which hands each message to one of
/// them. At least once: a message is acknowledged (<c>+ACK</c>) only after its event is appended; one that is not,
/// because the node stopped or crashed first, is delivered again once the consumer's ack wait has passed, and one whose
/// append failed is handed back at once (<c>-NAK</c>). A wrapped message's id is <c>&lt;stream&gt;-&lt;stream
/// sequence&gt;</c>, the same on every redelivery.
/// </summary>
internal sealed class NatsJetStreamSource(NatsOptions options, JetStreamSourceSettings settings, SourceDefaults defaults) : IEventSource
{
    private const int BatchSize = 100;

    /// <summary>How long one pull request waits at the server for messages.</summary>
    private static readonly TimeSpan PullExpiry = TimeSpan.FromSeconds(5);

    /// <summary>A pull lost with a broken connection never gets its 408; this much after its expiry the source pulls again.</summary>
    private static readonly TimeSpan PullGrace = TimeSpan.FromSeconds(5);

    private static readonly byte[] PullRequest = JetStreamConsumerApi.PullRequest(BatchSize, PullExpiry);
    private static readonly byte[] Ack = "+ACK"u8.ToArray();
    private static readonly byte[] Nak = "-NAK"u8.ToArray();

    public async Task RunAsync(SourceContext context, CancellationToken cancellationToken)
    {
        await using var connection = await NatsSourceEvents.ConnectAsync(options, context, cancellationToken);
        context.Health.Lag(await JetStreamConsumerApi.EnsureAsync(connection, settings, cancellationToken));
        var inbox = $"_INBOX.{Guid.NewGuid():N}";
        var replies = await connection.SubscribeAsync(inbox + ".*", cancellationToken: cancellationToken);
        var reader = new SourceMessageReader<NatsMessage>(replies.Messages, () => connection.IsConnected, context, options.Url);
        for (var pull = 1L; ; pull++)
        {
            // Each pull has its own reply subject, so a late status of an earlier pull cannot end this one.
            var replyTo = $"{inbox}.{pull}";
            await connection.PublishAsync(settings.NextSubject, null, PullRequest, replyTo, cancellationToken);
            await ReadPullAsync(connection, replies, reader, replyTo, context, cancellationToken);
        }
    }

    /// <summary>
    /// 404 (no messages) and 408 (the request expired) end a pull; 100 is a heartbeat. Anything else (409: the consumer
    /// was deleted, too many waiting pulls; 503: no JetStream) ends the run, and the next one creates the consumer again.
    /// </summary>
    private static bool PullEnded(NatsHeaders status) => status.Status switch
    {
        404 or 408 => true,
        100 => false,
        _ => throw new JetStreamApiException($"JetStream ended the pull: {status.Status} {status.StatusDescription}"),
    };

    private static string WrappedId(NatsMessage message) =>
        JetStreamAckMetadata.Parse(message.ReplyTo) is { } delivery ? $"{delivery.Stream}-{delivery.StreamSequence}" : Guid.NewGuid().ToString();

    private static async Task ReplyAsync(NatsConnection connection, List<NatsMessage> messages, byte[] reply)
    {
        foreach (var message in messages.Where(m => m.ReplyTo is not null))
        {
            await connection.PublishAsync(message.ReplyTo!, null, reply);
        }
    }

    private async Task ReadPullAsync(
        NatsConnection connection,
        NatsSubscription replies,
        SourceMessageReader<NatsMessage> reader,
        string replyTo,
        SourceContext context,
        CancellationToken cancellationToken)
    {
        var deadline = context.Time.GetUtcNow() + PullExpiry + PullGrace;
        var remaining = BatchSize;
        while (remaining > 0)
        {
            var batch = await reader.NextAsync(remaining, deadline, cancellationToken);
            if (batch.Count == 0)
            {
                return;
            }

            var messages = batch.FindAll(m => m.Headers?.Status is null);
            var ended = batch.Exists(m => m.Subject == replyTo && m.Headers?.Status is not null && PullEnded(m.Headers));
            if (messages.Count > 0)
            {
                await AppendAsync(connection, replies, messages, context, cancellationToken);
                remaining -= messages.Count;
            }

            if (ended)
            {
                return;
            }
        }
    }

    private async Task AppendAsync(
        NatsConnection connection, NatsSubscription replies, List<NatsMessage> messages, SourceContext context, CancellationToken cancellationToken)
    {
        var events = messages.ConvertAll(m => NatsSourceEvents.ToEvent(m, () => WrappedId(m), defaults, context));
        try
        {
            await context.Appender.AppendAsync(events, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // Stop pulling first: the server would hand the messages straight back to this run's open pull, which
                // ends with the run, and they would come again only after the ack wait.
                await connection.UnsubscribeAsync(replies, CancellationToken.None);
                await ReplyAsync(connection, messages, Nak);
            }
            catch (NatsNotConnectedException)
            {
                // Not handed back: the consumer delivers them again after its ack wait all the same.
            }

            throw;
        }

        // Only now: a stop or crash before this line leaves them unacknowledged, and the consumer delivers them again.
        await ReplyAsync(connection, messages, Ack);
        context.Health.Received(events.Count, context.Time.GetUtcNow());
        if (JetStreamAckMetadata.Parse(messages[^1].ReplyTo) is { } last)
        {
            context.Health.Lag((long)last.Pending);
        }
    }
}
