using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.Mqtt.Packets;

namespace Gateway.Protocols.Mqtt;

/// <summary>
/// An MQTT shared subscription (<c>$share/&lt;group&gt;/&lt;filter&gt;</c>), so that the gateway nodes share the
/// messages, in a persistent session of this node's own client id. At least once with QoS 1: a message is acknowledged
/// (PUBACK) only after its event is appended. One that is not, because the node stopped, crashed or failed to append,
/// stays with the broker, which sends it again when this node's session connects next; so do the QoS 1 messages the
/// broker queued for the session while the node was away. Mosquitto (2.0) deals a shared subscription's messages
/// round-robin among all the group's sessions, connected or not: a node that is down keeps getting its share queued,
/// and a node that never comes back strands that share until its session expires (MQTT 5 <c>sessionexpiry</c>;
/// an MQTT 3.1.1 session only ends with the broker's <c>persistent_client_expiration</c>).
/// </summary>
internal sealed class MqttSource(MqttClientOptions options, string subscription, byte qos, SourceDefaults defaults) : IEventSource
{
    private const int MaxBatch = 100;

    public async Task RunAsync(SourceContext context, CancellationToken cancellationToken)
    {
        var (client, granted, messages) = await ConnectAsync(context, cancellationToken);
        await using (client)
        {
            if (granted >= 0x80)
            {
                throw new InvalidOperationException($"the broker refused the subscription to '{subscription}' (reason code 0x{granted:X2})");
            }

            var reader = new SourceMessageReader<MqttPublishPacket>(messages, () => client.IsConnected, context, options.Url);
            while (true)
            {
                var batch = await reader.NextAsync(MaxBatch, null, cancellationToken);
                var events = batch.ConvertAll(m => ToEvent(m, context));
                await context.Appender.AppendAsync(events, cancellationToken);

                // Only now, and in the order they came (MQTT-4.6.0-2): before this line they are still the broker's.
                foreach (var message in batch)
                {
                    await client.AcknowledgeAsync(message, CancellationToken.None);
                }

                context.Health.Received(events.Count, context.Time.GetUtcNow());
            }
        }
    }

    private async Task<(MqttClient Client, byte Granted, System.Threading.Channels.ChannelReader<MqttPublishPacket> Messages)> ConnectAsync(
        SourceContext context, CancellationToken cancellationToken)
    {
        try
        {
            var connected = await MqttClient.ConnectAndSubscribeAsync(options, subscription, qos, cancellationToken);
            context.Health.Connected();
            return connected;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            context.Health.Disconnected($"cannot connect to {options.Url}: {ex.Message}", context.Time.GetUtcNow());
            throw;
        }
    }

    /// <summary>
    /// The event a message carries (MQTT-02 to MQTT-05), or the message wrapped with the source's defaults and its
    /// topic as <c>subject</c>. A message that claims to be a CloudEvent and is not valid is wrapped too rather than
    /// dropped, and the source's health names what was wrong with it. MQTT has no message id that survives a
    /// redelivery, so a wrapped message gets a new id each time it is read.
    /// </summary>
    private CloudEvent ToEvent(MqttPublishPacket message, SourceContext context)
    {
        try
        {
            if (MqttCloudEventMessage.Decode(message, options.Version) is { } cloudEvent)
            {
                return cloudEvent;
            }
        }
        catch (CloudEventFormatException ex)
        {
            context.Health.Error($"a message on '{message.Topic}' claimed to be a CloudEvent but is not valid, so it was wrapped: {ex.Message}", context.Time.GetUtcNow());
        }

        return MessageWrapper.Wrap(defaults, Guid.NewGuid().ToString(), message.Payload, message.ContentType, context.Time.GetUtcNow(), message.Topic);
    }
}
