using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;

namespace Gateway.Protocols.Nats;

/// <summary>What a NATS source makes of a message, and how it connects.</summary>
internal static class NatsSourceEvents
{
    /// <summary>Connects; when that fails, the source's health says why before the error ends the run.</summary>
    public static async Task<NatsConnection> ConnectAsync(NatsOptions options, SourceContext context, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await NatsConnection.ConnectAsync(options, cancellationToken);
            context.Health.Connected();
            return connection;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            context.Health.Disconnected($"cannot connect to {options.Url}: {ex.Message}", context.Time.GetUtcNow());
            throw;
        }
    }

    /// <summary>
    /// The event a message carries (binary or structured, NATS-03, NATS-04), or the message wrapped with the source's
    /// defaults. A message that claims to be a CloudEvent and is not valid is wrapped too rather than dropped: its
    /// bytes still reach the log, and the source's health names what was wrong with it.
    /// </summary>
    public static CloudEvent ToEvent(NatsMessage message, Func<string> wrappedId, SourceDefaults defaults, SourceContext context)
    {
        try
        {
            if (NatsCloudEventMessage.Decode(message.Headers, message.Payload) is { } cloudEvent)
            {
                return cloudEvent;
            }
        }
        catch (CloudEventFormatException ex)
        {
            context.Health.Error($"a message on '{message.Subject}' claimed to be a CloudEvent but is not valid, so it was wrapped: {ex.Message}", context.Time.GetUtcNow());
        }

        return MessageWrapper.Wrap(defaults, wrappedId(), message.Payload, message.Headers?["Content-Type"], context.Time.GetUtcNow(), message.Subject);
    }
}
