using System.Buffers;
using System.Threading.Channels;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace Gateway.Protocols.Mqtt;

/// <summary>
/// An MQTT shared subscription (<c>$share/&lt;group&gt;/&lt;filter&gt;</c>) through MQTTnet, so that the gateway nodes
/// share the messages, in a persistent session of this node's own client id. At least once with QoS 1: a message is
/// acknowledged (PUBACK) only after its event is appended. One that is not, because the node stopped, crashed or failed
/// to append, stays with the broker, which sends it again when this node's session connects next; so do the QoS 1
/// messages the broker queued for the session while the node was away. Mosquitto (2.0) deals a shared subscription's
/// messages round-robin among all the group's sessions, connected or not: a node that is down keeps getting its share
/// queued, and a node that never comes back strands that share until its session expires (MQTT 5
/// <c>sessionexpiry</c>; an MQTT 3.1.1 session only ends with the broker's <c>persistent_client_expiration</c>).
/// MQTTnet does not reconnect by itself: a lost connection ends the run, and the source runner starts the next one.
/// </summary>
internal sealed class MqttSource(MqttClientOptions options, Uri broker, MqttVersion version, string subscription, int qos, SourceDefaults defaults)
    : IEventSource
{
    private const int MaxBatch = 100;

    public async Task RunAsync(SourceContext context, CancellationToken cancellationToken)
    {
        using var client = new MqttClientFactory().CreateMqttClient();

        // Unacknowledged QoS 1 messages are bounded by the broker's in-flight window; the bound here is for QoS 0.
        var messages = Channel.CreateBounded<MqttApplicationMessageReceivedEventArgs>(
            new BoundedChannelOptions(10_000) { SingleReader = true, SingleWriter = true });

        // Attached before connecting: a resumed session gets what the broker kept right after CONNACK.
        client.ApplicationMessageReceivedAsync += async received =>
        {
            received.AutoAcknowledge = false;
            await messages.Writer.WriteAsync(received, cancellationToken);
        };
        client.DisconnectedAsync += disconnected =>
        {
            if (disconnected.ClientWasConnected)
            {
                messages.Writer.TryComplete(new MqttCommunicationException($"the connection to {broker} ended ({disconnected.Reason})"));
            }

            return Task.CompletedTask;
        };

        await ConnectAndSubscribeAsync(client, context, cancellationToken);
        try
        {
            var reader = new SourceMessageReader<MqttApplicationMessageReceivedEventArgs>(messages.Reader, () => client.IsConnected, context, broker);
            while (true)
            {
                var batch = await reader.NextAsync(MaxBatch, null, cancellationToken);
                var events = batch.ConvertAll(m => ToEvent(m.ApplicationMessage, context));
                await context.Appender.AppendAsync(events, cancellationToken);

                // Only now, and in the order they came (MQTT-4.6.0-2): before this line they are still the broker's.
                foreach (var message in batch.Where(m => m.ApplicationMessage.QualityOfServiceLevel != MqttQualityOfServiceLevel.AtMostOnce))
                {
                    await message.AcknowledgeAsync(CancellationToken.None);
                }

                context.Health.Received(events.Count, context.Time.GetUtcNow());
            }
        }
        finally
        {
            await DisconnectAsync(client);
        }
    }

    private static async Task DisconnectAsync(IMqttClient client)
    {
        if (!client.IsConnected)
        {
            return;
        }

        try
        {
            // A normal disconnect keeps the persistent session, and with it what was not acknowledged.
            await client.DisconnectAsync();
        }
        catch (MqttCommunicationException)
        {
            // Gone already: the broker keeps the session all the same.
        }
    }

    private async Task ConnectAndSubscribeAsync(IMqttClient client, SourceContext context, CancellationToken cancellationToken)
    {
        try
        {
            await client.ConnectAsync(options, cancellationToken);
            var subscribed = await client.SubscribeAsync(
                new MqttClientSubscribeOptionsBuilder().WithTopicFilter(subscription, (MqttQualityOfServiceLevel)qos).Build(), cancellationToken);
            var granted = (int)subscribed.Items.Single().ResultCode;
            if (granted >= 0x80)
            {
                throw new InvalidOperationException($"the broker refused the subscription to '{subscription}' (reason code 0x{granted:X2})");
            }

            context.Health.Connected();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            context.Health.Disconnected($"cannot connect to {broker}: {MqttConnection.Describe(ex)}", context.Time.GetUtcNow());
            throw;
        }
    }

    /// <summary>
    /// The event a message carries (MQTT-02 to MQTT-05), or the message wrapped with the source's defaults and its
    /// topic as <c>subject</c>. A message that claims to be a CloudEvent and is not valid is wrapped too rather than
    /// dropped, and the source's health names what was wrong with it. MQTT has no message id that survives a
    /// redelivery, so a wrapped message gets a new id each time it is read.
    /// </summary>
    private CloudEvent ToEvent(MqttApplicationMessage message, SourceContext context)
    {
        try
        {
            if (MqttCloudEventMessage.Decode(message, version) is { } cloudEvent)
            {
                return cloudEvent;
            }
        }
        catch (CloudEventFormatException ex)
        {
            context.Health.Error($"a message on '{message.Topic}' claimed to be a CloudEvent but is not valid, so it was wrapped: {ex.Message}", context.Time.GetUtcNow());
        }

        var payload = message.Payload.IsEmpty ? ReadOnlyMemory<byte>.Empty : message.Payload.ToArray();
        return MessageWrapper.Wrap(defaults, Guid.NewGuid().ToString(), payload, message.ContentType, context.Time.GetUtcNow(), message.Topic);
    }
}
