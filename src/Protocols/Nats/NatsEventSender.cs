using System.Text.Json;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;

namespace Gateway.Protocols.Nats;

/// <summary>
/// Publishes one subscription's events. Delivered means: core NATS, written and flushed (at most once by nature);
/// JetStream, a positive PubAck. A negative or missing ack, or no connection, is a retry.
/// </summary>
internal sealed class NatsEventSender(NatsOptions options, string subject, bool structured, bool jetStream) : IEventSender
{
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private NatsConnection? _connection;

    public ValueTask<SinkValidation> ValidateSinkAsync(CancellationToken cancellationToken) => ValueTask.FromResult(SinkValidation.NotRequired);

    public async ValueTask<DeliveryResult> SendAsync(CloudEvent cloudEvent, CancellationToken cancellationToken)
    {
        var (headers, payload) = structured ? NatsCloudEventMessage.ToStructured(cloudEvent) : NatsCloudEventMessage.ToBinary(cloudEvent);
        try
        {
            var connection = await ConnectAsync(cancellationToken);
            if (!jetStream)
            {
                await connection.PublishAsync(subject, headers, payload, cancellationToken: cancellationToken);
                return DeliveryResult.Delivered();
            }

            return Acknowledged(await connection.RequestAsync(subject, headers, payload, AckTimeout, cancellationToken));
        }
        catch (NatsPayloadTooLargeException ex)
        {
            return new DeliveryResult(DeliveryOutcome.Permanent, Reason: ex.Message);
        }
        catch (TimeoutException)
        {
            return new DeliveryResult(DeliveryOutcome.Retry, Reason: $"no JetStream acknowledgement within {AckTimeout.TotalSeconds:0} s");
        }
        catch (Exception ex) when (ex is NatsNotConnectedException or NatsConnectException or NatsProtocolException or IOException
            or System.Net.Sockets.SocketException)
        {
            return new DeliveryResult(DeliveryOutcome.Retry, Reason: ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _connectLock.Dispose();
    }

    /// <summary>A JetStream PubAck: <c>{"stream","seq"}</c>; <c>{"error"}</c> or a 503 "no responders" status is a retry.</summary>
    private static DeliveryResult Acknowledged(NatsMessage reply)
    {
        if (reply.Headers?.Status is { } status)
        {
            return new DeliveryResult(DeliveryOutcome.Retry, status,
                status == 503 ? "no JetStream stream listens on the subject (503 no responders)" : $"JetStream answered status {status}");
        }

        try
        {
            using var ack = JsonDocument.Parse(reply.Payload);
            if (ack.RootElement.TryGetProperty("error", out var error))
            {
                return new DeliveryResult(DeliveryOutcome.Retry,
                    error.TryGetProperty("code", out var code) && code.TryGetInt32(out var c) ? c : null,
                    $"JetStream refused the message: {(error.TryGetProperty("description", out var d) ? d.GetString() : error.ToString())}");
            }

            return ack.RootElement.TryGetProperty("seq", out _)
                ? DeliveryResult.Delivered()
                : new DeliveryResult(DeliveryOutcome.Retry, Reason: "the JetStream reply is not a PubAck");
        }
        catch (JsonException)
        {
            return new DeliveryResult(DeliveryOutcome.Retry, Reason: "the JetStream reply is not JSON");
        }
    }

    private async ValueTask<NatsConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _connection) is { } connected)
        {
            return connected;
        }

        await _connectLock.WaitAsync(cancellationToken);
        try
        {
            return _connection ??= await NatsConnection.ConnectAsync(options, cancellationToken);
        }
        finally
        {
            _connectLock.Release();
        }
    }
}
