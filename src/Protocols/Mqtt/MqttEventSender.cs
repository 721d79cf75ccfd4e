using System.Net;
using System.Text;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Gateway.Protocols.Mqtt;

/// <summary>
/// Publishes one subscription's events through MQTTnet. Delivered means QoS 0 written, QoS 1 PUBACK, QoS 2 PUBCOMP
/// (MQTTnet runs the QoS 2 exchange); a reason code of 0x80 or above is a failure, retried when the broker may take it
/// later; a broker that is down is a retry. MQTTnet does not reconnect by itself: the next send connects again, and
/// the retry store keeps what could not be sent meanwhile.
/// </summary>
internal sealed class MqttEventSender(MqttClientOptions options, MqttVersion version, MqttSenderSettings settings, OutboundGuard guard)
    : IEventSender
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly SemaphoreSlim _connectLock = new(1, 1);

    /// <summary>
    /// MQTT has no consent handshake; a broker the guard refuses is shown as the subscription's status and its events
    /// wait, while every connect is guarded besides.
    /// </summary>
    public async ValueTask<SinkValidation> ValidateSinkAsync(CancellationToken cancellationToken) =>
        await guard.RefusalAsync(((MqttClientTcpOptions)options.ChannelOptions).RemoteEndpoint is DnsEndPoint broker ? broker.Host : string.Empty, cancellationToken) is { } refused
            ? new SinkValidation(false, refused)
            : SinkValidation.NotRequired;

    public async ValueTask<DeliveryResult> SendAsync(CloudEvent cloudEvent, CancellationToken cancellationToken)
    {
        var message = settings.Structured
            ? MqttCloudEventMessage.ToStructured(cloudEvent, settings.Topic, version)
            : MqttCloudEventMessage.ToBinary(cloudEvent, settings.Topic);
        message.QualityOfServiceLevel = (MqttQualityOfServiceLevel)settings.QoS;
        message.Retain = settings.Retain;
        if (version == MqttVersion.V500)
        {
            message.MessageExpiryInterval = settings.Expiry ?? 0;
            message.UserProperties = [.. message.UserProperties ?? [], .. settings.UserProperties.Select(p => new MqttUserProperty(p.Key, Encoding.UTF8.GetBytes(p.Value).AsMemory()))];
        }

        try
        {
            await ConnectAsync(cancellationToken);
            var result = await _client.PublishAsync(message, cancellationToken);
            return result.IsSuccess ? DeliveryResult.Delivered((int)result.ReasonCode) : Failure(result);
        }
        catch (Exception ex) when (MqttConnection.Refusal(ex) is { } refused)
        {
            // The name resolved elsewhere since consent (DNS rebinding): refused for good, as HTTP sinks are.
            return new DeliveryResult(DeliveryOutcome.Permanent, Reason: refused.Message);
        }
        catch (Exception ex) when (ex is MqttCommunicationException or MqttClientNotConnectedException or MqttClientDisconnectedException
            or MqttProtocolViolationException)
        {
            return new DeliveryResult(DeliveryOutcome.Retry, Reason: MqttConnection.Describe(ex));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync();
            }
            catch (MqttCommunicationException)
            {
                // Gone already.
            }
        }

        _client.Dispose();
        _connectLock.Dispose();
    }

    /// <summary>MQTT 5 reason codes: quota, server busy and the like are retried; the rest cannot succeed.</summary>
    private static DeliveryResult Failure(MqttClientPublishResult result)
    {
        var code = (int)result.ReasonCode;
        var reason = $"the broker answered reason code 0x{code:X2}{(result.ReasonString is null ? string.Empty : $": {result.ReasonString}")}";
        var retry = code is 0x80 or 0x83 or 0x89 or 0x91 or 0x93 or 0x97;
        return new DeliveryResult(retry ? DeliveryOutcome.Retry : DeliveryOutcome.Permanent, code, reason);
    }

    private async ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        if (_client.IsConnected)
        {
            return;
        }

        await _connectLock.WaitAsync(cancellationToken);
        try
        {
            if (!_client.IsConnected)
            {
                await _client.ConnectAsync(options, cancellationToken);
            }
        }
        finally
        {
            _connectLock.Release();
        }
    }
}
