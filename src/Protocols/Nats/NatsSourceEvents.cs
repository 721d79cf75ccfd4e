using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using NATS.Client.Core;

namespace Gateway.Protocols.Nats;

/// <summary>What a NATS source makes of a message, and how it connects.</summary>
internal static class NatsSourceEvents
{
    /// <summary>Connects; when that fails, the source's health says why before the error ends the run.</summary>
    public static async Task<NatsConnection> ConnectAsync(NatsOpts options, SourceContext context, CancellationToken cancellationToken)
    {
        var connection = new NatsConnection(options);
        try
        {
            await connection.ConnectAsync().AsTask().WaitAsync(cancellationToken);
            context.Health.Connected();
            return connection;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await connection.DisposeAsync();
            context.Health.Disconnected($"cannot connect to {options.Url}: {NatsErrors.Describe(ex)}", context.Time.GetUtcNow());
            throw;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Whether NATS.Net is connected now (it reconnects by itself).</summary>
    public static bool IsConnected(NatsConnection connection) => connection.ConnectionState == NatsConnectionState.Open;

    /// <summary>
    /// The event a message carries (binary or structured, NATS-03, NATS-04), or the message wrapped with the source's
    /// defaults. A message that claims to be a CloudEvent and is not valid is wrapped too rather than dropped: its
    /// bytes still reach the log, and the source's health names what was wrong with it.
    /// </summary>
    public static CloudEvent ToEvent(
        string subject, NatsHeaders? headers, byte[]? payload, Func<string> wrappedId, SourceDefaults defaults, SourceContext context)
    {
        payload ??= [];
        try
        {
            if (NatsCloudEventMessage.Decode(headers, payload) is { } cloudEvent)
            {
                return cloudEvent;
            }
        }
        catch (CloudEventFormatException ex)
        {
            context.Health.Error($"a message on '{subject}' claimed to be a CloudEvent but is not valid, so it was wrapped: {ex.Message}", context.Time.GetUtcNow());
        }

        string? contentType = headers is not null && headers.TryGetValue("Content-Type", out var value) ? value.ToString() : null;
        return MessageWrapper.Wrap(defaults, wrappedId(), payload, contentType, context.Time.GetUtcNow(), subject);
    }
}
