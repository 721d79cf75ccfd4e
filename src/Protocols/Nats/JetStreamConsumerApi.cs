using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Protocols.Nats;

/// <summary>
/// The JetStream API requests of a durable pull consumer (https://docs.nats.io/reference/reference-protocols/nats_api_reference):
/// create or confirm it, and ask it for messages.
/// </summary>
internal static class JetStreamConsumerApi
{
    private static readonly TimeSpan ApiTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Creates the durable consumer with explicit acks, or confirms the one that exists (the server answers an
    /// unchanged configuration with the consumer's info and applies the changes it allows, such as <c>ack_wait</c>).
    /// Returns the consumer's <c>num_pending</c>: how many stream messages it has not delivered yet.
    /// </summary>
    public static async Task<long> EnsureAsync(NatsConnection connection, JetStreamSourceSettings settings, CancellationToken cancellationToken)
    {
        var config = new JsonObject
        {
            ["durable_name"] = settings.Durable,
            ["ack_policy"] = "explicit",
            ["ack_wait"] = Nanoseconds(settings.AckWait),
            ["deliver_policy"] = "all",
        };
        if (settings.FilterSubject is { } filter)
        {
            config["filter_subject"] = filter;
        }

        var request = new JsonObject { ["stream_name"] = settings.Stream, ["config"] = config };
        var reply = await connection.RequestAsync(
            $"$JS.API.CONSUMER.DURABLE.CREATE.{settings.Stream}.{settings.Durable}",
            null,
            Encoding.UTF8.GetBytes(request.ToJsonString()),
            ApiTimeout,
            cancellationToken);
        if (reply.Headers?.Status is { } status)
        {
            throw new JetStreamApiException(status == 503
                ? "JetStream does not answer (503 no responders): is it enabled on the server?"
                : $"JetStream answered status {status} {reply.Headers.StatusDescription}");
        }

        using var info = JsonDocument.Parse(reply.Payload);
        if (info.RootElement.TryGetProperty("error", out var error))
        {
            var description = error.TryGetProperty("description", out var text) ? text.GetString() : error.ToString();
            throw new JetStreamApiException($"JetStream refused the consumer '{settings.Durable}' of stream '{settings.Stream}': {description}");
        }

        return info.RootElement.TryGetProperty("num_pending", out var pending) && pending.TryGetInt64(out var count) ? count : 0;
    }

    /// <summary>A pull request: up to <paramref name="batch"/> messages, the request ending after <paramref name="expires"/>.</summary>
    public static byte[] PullRequest(int batch, TimeSpan expires) =>
        Encoding.UTF8.GetBytes(new JsonObject { ["batch"] = batch, ["expires"] = Nanoseconds(expires) }.ToJsonString());

    private static long Nanoseconds(TimeSpan span) => span.Ticks * 100;
}

/// <summary>A JetStream API request failed: the stream or consumer is missing, or the server refused the request.</summary>
public sealed class JetStreamApiException(string message) : Exception(message);
