using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.Mqtt.Packets;

namespace Gateway.Protocols.Mqtt;

/// <summary>
/// Publishes one subscription's events. Delivered means QoS 0 written, QoS 1 PUBACK, QoS 2 PUBCOMP; a reason code of
/// 0x80 or above is a failure, retried when the broker may take it later; a broker that is down is a retry.
/// </summary>
internal sealed class MqttEventSender(MqttClientOptions options, MqttSenderSettings settings) : IEventSender
{
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private MqttClient? _client;

    public ValueTask<SinkValidation> ValidateSinkAsync(CancellationToken cancellationToken) => ValueTask.FromResult(SinkValidation.NotRequired);

    public async ValueTask<DeliveryResult> SendAsync(CloudEvent cloudEvent, CancellationToken cancellationToken)
    {
        var message = (settings.Structured
            ? MqttCloudEventMessage.ToStructured(cloudEvent, settings.Topic, options.Version)
            : MqttCloudEventMessage.ToBinary(cloudEvent, settings.Topic)) with
        {
            QoS = settings.QoS,
            Retain = settings.Retain,
        };
        if (options.Version == MqttVersion.V500)
        {
            message = message with
            {
                MessageExpirySeconds = settings.Expiry,
                UserProperties = [.. message.UserProperties, .. settings.UserProperties],
            };
        }

        try
        {
            var client = await ConnectAsync(cancellationToken);
            var result = await client.PublishAsync(message, cancellationToken);
            return result.IsSuccess ? DeliveryResult.Delivered(result.ReasonCode) : Failure(result);
        }
        catch (Exception ex) when (ex is MqttNotConnectedException or MqttConnectException or MqttProtocolException or IOException
            or System.Net.Sockets.SocketException)
        {
            return new DeliveryResult(DeliveryOutcome.Retry, Reason: ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        _connectLock.Dispose();
    }

    /// <summary>MQTT 5 reason codes: quota, server busy and the like are retried; the rest cannot succeed.</summary>
    private static DeliveryResult Failure(MqttPublishResult result)
    {
        var reason = $"the broker answered reason code 0x{result.ReasonCode:X2}{(result.ReasonString is null ? string.Empty : $": {result.ReasonString}")}";
        var retry = result.ReasonCode is 0x80 or 0x83 or 0x89 or 0x91 or 0x93 or 0x97;
        return new DeliveryResult(retry ? DeliveryOutcome.Retry : DeliveryOutcome.Permanent, result.ReasonCode, reason);
    }

    private async ValueTask<MqttClient> ConnectAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _client) is { } connected)
        {
            return connected;
        }

        await _connectLock.WaitAsync(cancellationToken);
        try
        {
            return _client ??= await MqttClient.ConnectAsync(options, cancellationToken);
        }
        finally
        {
            _connectLock.Release();
        }
    }
}
