using System.Threading.Channels;
using Gateway.Protocols.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Gateway.Protocols.Nats;

/// <summary>
/// A JetStream durable pull consumer, through NATS.Net. Every node consumes from the same consumer, which hands each
/// message to one of them. At least once: a message is acknowledged only after its event is appended; one that is not,
/// because the node stopped or crashed first, is delivered again once the consumer's ack wait has passed, and one whose
/// append failed is handed back at once (NAK). A wrapped message's id is <c>&lt;stream&gt;-&lt;stream
/// sequence&gt;</c>, the same on every redelivery.
/// </summary>
internal sealed class NatsJetStreamSource(NatsOpts options, JetStreamSourceSettings settings, SourceDefaults defaults) : IEventSource
{
    private const int BatchSize = 100;

    public async Task RunAsync(SourceContext context, CancellationToken cancellationToken)
    {
        await using var connection = await NatsSourceEvents.ConnectAsync(options, context, cancellationToken);
        var consumer = await new NatsJSContext(connection).CreateOrUpdateConsumerAsync(settings.Stream, Config(), cancellationToken);
        context.Health.Lag((long)consumer.Info.NumPending);

        // NATS.Net pulls on its own (with heartbeats, across reconnects); the bounded channel holds at most one batch
        // beyond what is being appended, so a slow event log slows the pulls.
        var messages = Channel.CreateBounded<INatsJSMsg<byte[]>>(new BoundedChannelOptions(BatchSize) { SingleReader = true, SingleWriter = true });
        using var pulling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pump = PumpAsync(consumer, messages.Writer, pulling.Token);
        try
        {
            var reader = new SourceMessageReader<INatsJSMsg<byte[]>>(
                messages.Reader, () => NatsSourceEvents.IsConnected(connection), context, NatsAddress.Display(options));
            while (true)
            {
                var batch = await reader.NextAsync(BatchSize, null, cancellationToken);
                var events = batch.ConvertAll(m => NatsSourceEvents.ToEvent(m.Subject, m.Headers, m.Data, () => WrappedId(m), defaults, context));
                try
                {
                    await context.Appender.AppendAsync(events, cancellationToken);
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // Stop consuming and close this run's connection first: the server would hand NAKed messages
                    // straight back to the pull requests NATS.Net still has open there, which end with the run, and
                    // they would come again only after the ack wait (seen once in three runs with only an UNSUB
                    // before the NAK). A closed connection leaves those requests without interest, so the NAKs, sent
                    // on a connection of their own, make the next run get the messages at once.
                    await pulling.CancelAsync();
                    await pump;
                    await connection.DisposeAsync();
                    await NakAsync(batch);
                    throw;
                }

                await AcknowledgeAsync(batch, context);
            }
        }
        finally
        {
            await pulling.CancelAsync();
            await pump;
        }
    }

    private static async Task PumpAsync(INatsJSConsumer consumer, ChannelWriter<INatsJSMsg<byte[]>> writer, CancellationToken cancellationToken)
    {
        Exception? ended = null;
        try
        {
            var options = new NatsJSConsumeOpts { MaxMsgs = BatchSize };
            await foreach (var message in consumer.ConsumeAsync<byte[]>(opts: options, cancellationToken: cancellationToken))
            {
                await writer.WriteAsync(message, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is ending.
        }
        catch (Exception ex)
        {
            // The consumer was deleted, JetStream went away, …: the reader ends the run with it.
            ended = ex;
        }
        finally
        {
            writer.TryComplete(ended);
        }
    }

    private static string WrappedId(INatsJSMsg<byte[]> message) =>
        message.Metadata is { } metadata ? $"{metadata.Stream}-{metadata.Sequence.Stream}" : Guid.NewGuid().ToString();

    private ConsumerConfig Config() => new(settings.Durable)
    {
        DurableName = settings.Durable,
        AckPolicy = ConsumerConfigAckPolicy.Explicit,
        AckWait = settings.AckWait,
        DeliverPolicy = ConsumerConfigDeliverPolicy.All,
        FilterSubject = settings.FilterSubject,
    };

    /// <summary>Hands messages back (<c>-NAK</c> to each one's ack subject), so the consumer delivers them again at once.</summary>
    private async Task NakAsync(List<INatsJSMsg<byte[]>> messages)
    {
        try
        {
            await using var connection = new NatsConnection(options);
            foreach (var replyTo in messages.Select(m => m.ReplyTo).OfType<string>())
            {
                await connection.PublishAsync(replyTo, "-NAK"u8.ToArray());
            }

            await connection.PingAsync();
        }
        catch (NatsException)
        {
            // Not handed back: the consumer delivers them again after its ack wait all the same.
        }
    }

    /// <summary>Only after the append: a stop or crash before this leaves them unacknowledged, and they come again.</summary>
    private static async Task AcknowledgeAsync(List<INatsJSMsg<byte[]>> messages, SourceContext context)
    {
        foreach (var message in messages)
        {
            await message.AckAsync(cancellationToken: CancellationToken.None);
        }

        context.Health.Received(messages.Count, context.Time.GetUtcNow());
        if (messages[^1].Metadata is { } last)
        {
            context.Health.Lag((long)last.NumPending);
        }
    }
}
