using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Gateway.Protocols.Nats;

/// <summary>
/// Publishes one subscription's events through NATS.Net. Delivered means: core NATS, handed to a connected client
/// (at most once by nature); JetStream, a positive PubAck. A negative or missing ack, or no connection, is a retry;
/// a message above the server's <c>max_payload</c> can never be sent.
/// </summary>
internal sealed class NatsEventSender : IEventSender
{
    private readonly NatsConnection _connection;
    private readonly NatsJSContext _jetStreamContext;
    private readonly string _subject;
    private readonly bool _structured;
    private readonly bool _jetStream;

    private readonly OutboundGuard _guard;

    public NatsEventSender(NatsOpts options, string subject, bool structured, bool jetStream, OutboundGuard guard)
    {
        _guard = guard;
        _connection = new NatsConnection(options);
        _jetStreamContext = new NatsJSContext(_connection);
        (_subject, _structured, _jetStream) = (subject, structured, jetStream);
    }

    /// <summary>A server the guard refuses shows in the subscription's status, and its events wait.</summary>
    public async ValueTask<SinkValidation> ValidateSinkAsync(CancellationToken cancellationToken) =>
        await _guard.RefusalAsync(new Uri(_connection.Opts.Url).Host, cancellationToken) is { } refused
            ? new SinkValidation(false, refused)
            : SinkValidation.NotRequired;

    public async ValueTask<DeliveryResult> SendAsync(CloudEvent cloudEvent, CancellationToken cancellationToken)
    {
        var (headers, payload) = _structured ? NatsCloudEventMessage.ToStructured(cloudEvent) : NatsCloudEventMessage.ToBinary(cloudEvent);
        try
        {
            // Only the first connect, or one after a failed first connect, is ours; a lost one NATS.Net makes again.
            if (_connection.ConnectionState == NatsConnectionState.Closed)
            {
                await _connection.ConnectAsync().AsTask().WaitAsync(cancellationToken);
            }

            // NATS.Net holds a publish made while it reconnects until the connection is back; the retry store is the
            // better place for it, and a publish that waits in the client is one the gateway cannot account for.
            if (_connection.ConnectionState != NatsConnectionState.Open)
            {
                return new DeliveryResult(DeliveryOutcome.Retry, Reason: $"not connected to {_connection.Opts.Url}; reconnecting");
            }

            if (!_jetStream)
            {
                await _connection.PublishAsync(_subject, payload, headers, cancellationToken: cancellationToken);
                return DeliveryResult.Delivered();
            }

            var ack = await _jetStreamContext.PublishAsync(_subject, payload, headers: headers, cancellationToken: cancellationToken);
            return ack.Error is { } error
                ? new DeliveryResult(DeliveryOutcome.Retry, error.Code, $"JetStream refused the message: {error.Description}")
                : DeliveryResult.Delivered();
        }
        catch (NatsPayloadTooLargeException ex)
        {
            return new DeliveryResult(DeliveryOutcome.Permanent, Reason: ex.Message);
        }
        catch (NatsJSPublishNoResponseException)
        {
            return new DeliveryResult(DeliveryOutcome.Retry, 503, "no JetStream stream listens on the subject (503 no responders)");
        }
        catch (NatsJSApiException ex)
        {
            return new DeliveryResult(DeliveryOutcome.Retry, ex.Error.Code, $"JetStream refused the message: {ex.Error.Description}");
        }
        catch (NatsException ex)
        {
            return new DeliveryResult(DeliveryOutcome.Retry, Reason: NatsErrors.Describe(ex));
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
