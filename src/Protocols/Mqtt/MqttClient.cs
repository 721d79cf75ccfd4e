using System.Collections.Concurrent;
using System.Threading.Channels;
using Gateway.Protocols.Mqtt.Packets;

namespace Gateway.Protocols.Mqtt;

/// <summary>
/// A focused MQTT 3.1.1 / 5.0 client: publish with QoS 0, 1 and 2 within the broker's Receive Maximum, subscribe,
/// keep-alive, and reconnect with backoff. A publish in flight when the connection breaks fails with
/// <see cref="MqttNotConnectedException"/>; the gateway's retry store then sends it again (at least once). A subscriber
/// may acknowledge what it receives itself (<see cref="MqttClientOptions.ExplicitAcknowledgement"/>).
/// </summary>
public sealed class MqttClient : IAsyncDisposable
{
    private readonly MqttClientOptions _options;
    private readonly CancellationTokenSource _disposed = new();
    private readonly ConcurrentDictionary<ushort, TaskCompletionSource<MqttPacket>> _pending = new();
    private readonly ConcurrentDictionary<string, (byte QoS, Channel<MqttPublishPacket> Messages)> _subscriptions = new(StringComparer.Ordinal);

    /// <summary>Explicit acknowledgement: each received QoS 1/2 message (by reference) and the connection it came on.</summary>
    private readonly ConcurrentDictionary<MqttPublishPacket, MqttSession> _unacknowledged = new(ReferenceEqualityComparer.Instance);
    private readonly Task _lifetime;
    private SemaphoreSlim _inFlight;
    private MqttSession? _session;
    private int _nextPacketId;

    private MqttClient(MqttClientOptions options, MqttSession first, (string Filter, byte QoS, Channel<MqttPublishPacket> Messages)? initial)
    {
        _options = options;
        _session = first;
        _inFlight = InFlightSlots(first);
        if (initial is var (filter, qos, messages))
        {
            _subscriptions[filter] = (qos, messages);
        }

        _lifetime = Task.Run(() => LifetimeAsync(first));
    }

    /// <summary>True while connected.</summary>
    public bool IsConnected => Volatile.Read(ref _session) is not null;

    /// <summary>Connects; throws when the first connection cannot be made or is refused.</summary>
    public static async Task<MqttClient> ConnectAsync(MqttClientOptions options, CancellationToken cancellationToken = default) =>
        new(options, await MqttSession.OpenAsync(options, cancellationToken), null);

    /// <summary>
    /// Connects and subscribes, routing messages to the subscription from the first packet on: a resumed session
    /// (<see cref="MqttClientOptions.CleanStart"/> false) gets the messages the broker kept right after CONNACK, before
    /// a later <see cref="SubscribeAsync"/> could catch them.
    /// </summary>
    public static async Task<(MqttClient Client, byte Granted, ChannelReader<MqttPublishPacket> Messages)> ConnectAndSubscribeAsync(
        MqttClientOptions options, string filter, byte qos, CancellationToken cancellationToken = default)
    {
        var messages = NewMessageChannel();
        var client = new MqttClient(options, await MqttSession.OpenAsync(options, cancellationToken), (filter, qos, messages));
        try
        {
            return (client, await client.SendSubscribeAsync(client.CurrentSession(), filter, qos, cancellationToken), messages.Reader);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Publishes. Done means: QoS 0 written, QoS 1 PUBACK, QoS 2 PUBCOMP; the broker's reason code is returned (MQTT 5
    /// codes of 0x80 and above are failures).
    /// </summary>
    public async Task<MqttPublishResult> PublishAsync(MqttPublishPacket message, CancellationToken cancellationToken = default)
    {
        var session = Volatile.Read(ref _session) ?? throw new MqttNotConnectedException($"not connected to {_options.Url}; reconnecting");
        if (message.QoS == 0)
        {
            await SendAsync(session, message, cancellationToken);
            return new MqttPublishResult(0);
        }

        var slots = Volatile.Read(ref _inFlight);
        await slots.WaitAsync(cancellationToken);
        var packetId = NextPacketId();
        try
        {
            var ack = (MqttAckPacket)await ExchangeAsync(session, message with { PacketId = packetId }, packetId, cancellationToken);
            if (message.QoS == 1 || ack.ReasonCode >= 0x80)
            {
                return new MqttPublishResult(ack.ReasonCode, ack.ReasonString);
            }

            // QoS 2: PUBREC received, release it and wait for PUBCOMP (MQTT-4.3.3).
            var complete = (MqttAckPacket)await ExchangeAsync(session, new MqttAckPacket(MqttAckKind.PubRel, packetId), packetId, cancellationToken);
            return new MqttPublishResult(complete.ReasonCode, complete.ReasonString);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>Subscribes to a topic filter; the broker's granted QoS (or failure code) is returned with the messages.</summary>
    public async Task<(byte Granted, ChannelReader<MqttPublishPacket> Messages)> SubscribeAsync(
        string filter, byte qos, CancellationToken cancellationToken = default)
    {
        var session = CurrentSession();
        var messages = NewMessageChannel();
        _subscriptions[filter] = (qos, messages);
        return (await SendSubscribeAsync(session, filter, qos, cancellationToken), messages.Reader);
    }

    /// <summary>
    /// With <see cref="MqttClientOptions.ExplicitAcknowledgement"/>: acknowledges a received QoS 1 message (PUBACK) or
    /// QoS 2 message (PUBREC). Acknowledge in the order the messages came (MQTT-4.6.0-2). The acknowledgement goes
    /// only over the connection the message came on; when that one is gone the call does nothing, and the broker sends
    /// the message again on the next connection of the resumed session.
    /// </summary>
    public async ValueTask AcknowledgeAsync(MqttPublishPacket received, CancellationToken cancellationToken = default)
    {
        if (!_unacknowledged.TryRemove(received, out var session) || session != Volatile.Read(ref _session))
        {
            return;
        }

        try
        {
            await SendAsync(session, Acknowledgement(received), cancellationToken);
        }
        catch (MqttNotConnectedException)
        {
            // The connection broke just now: the broker sends the message again after the reconnect.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _session) is { } session)
        {
            try
            {
                await session.SendAsync(new MqttDisconnectPacket(), CancellationToken.None);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // Already gone.
            }
        }

        await _disposed.CancelAsync();
        await _lifetime;
        _disposed.Dispose();
    }

    /// <summary>MQTT topic filter matching (§4.7): <c>+</c> one level, <c>#</c> the rest.</summary>
    internal static bool Matches(string filter, string topic)
    {
        // MQTT 5 §4.8.2: a shared subscription $share/{ShareName}/{filter} takes what its filter matches.
        if (filter.StartsWith(MqttTopics.SharePrefix, StringComparison.Ordinal) && filter.IndexOf('/', MqttTopics.SharePrefix.Length) is var end and > 0)
        {
            filter = filter[(end + 1)..];
        }

        var f = filter.Split('/');
        var t = topic.Split('/');
        for (var i = 0; i < f.Length; i++)
        {
            if (f[i] == "#")
            {
                return true;
            }

            if (i >= t.Length || (f[i] != "+" && f[i] != t[i]))
            {
                return false;
            }
        }

        return f.Length == t.Length;
    }

    private static Channel<MqttPublishPacket> NewMessageChannel() => Channel.CreateBounded<MqttPublishPacket>(4096);

    private static MqttAckPacket Acknowledgement(MqttPublishPacket received) =>
        new(received.QoS == 1 ? MqttAckKind.PubAck : MqttAckKind.PubRec, received.PacketId);

    private MqttSession CurrentSession() =>
        Volatile.Read(ref _session) ?? throw new MqttNotConnectedException($"not connected to {_options.Url}");

    private async Task<byte> SendSubscribeAsync(MqttSession session, string filter, byte qos, CancellationToken cancellationToken)
    {
        var packetId = NextPacketId();
        var ack = (MqttSubAckPacket)await ExchangeAsync(session, new MqttSubscribePacket(packetId, [(filter, qos)]), packetId, cancellationToken);
        return ack.ReasonCodes[0];
    }

    private async Task<MqttPacket> ExchangeAsync(MqttSession session, MqttPacket packet, ushort packetId, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<MqttPacket>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[packetId] = answer;
        try
        {
            await SendAsync(session, packet, cancellationToken);
            return await answer.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            _pending.TryRemove(new KeyValuePair<ushort, TaskCompletionSource<MqttPacket>>(packetId, answer));
        }
    }

    private async ValueTask SendAsync(MqttSession session, MqttPacket packet, CancellationToken cancellationToken)
    {
        try
        {
            await session.SendAsync(packet, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            throw new MqttNotConnectedException($"the connection to {_options.Url} broke: {ex.Message}");
        }
    }

    /// <summary>Packet identifiers 1..65535, skipping ones still in use (MQTT-2.2.1-3).</summary>
    private ushort NextPacketId()
    {
        while (true)
        {
            var id = (ushort)((Interlocked.Increment(ref _nextPacketId) % ushort.MaxValue) + 1);
            if (!_pending.ContainsKey(id))
            {
                return id;
            }
        }
    }

    private async Task LifetimeAsync(MqttSession session)
    {
        var token = _disposed.Token;
        while (true)
        {
            using (var connection = CancellationTokenSource.CreateLinkedTokenSource(token))
            {
                var pinger = KeepAliveAsync(session, connection);
                try
                {
                    while (true)
                    {
                        await HandleAsync(session, await session.ReceiveAsync(connection.Token));
                    }
                }
                catch (Exception ex) when (ex is IOException or MqttProtocolException or OperationCanceledException or System.Net.Sockets.SocketException)
                {
                    // The connection is gone; fail what waited on it and make a new one.
                }

                await connection.CancelAsync();
                await pinger;
            }

            Volatile.Write(ref _session, null);
            foreach (var waiting in _pending.Values)
            {
                waiting.TrySetException(new MqttNotConnectedException($"the connection to {_options.Url} broke before the broker answered"));
            }

            foreach (var (message, receivedOn) in _unacknowledged)
            {
                if (receivedOn == session)
                {
                    _unacknowledged.TryRemove(message, out _);
                }
            }

            await session.DisposeAsync();
            if (token.IsCancellationRequested)
            {
                return;
            }

            session = await ReconnectAsync(token) ?? session;
            if (token.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<MqttSession?> ReconnectAsync(CancellationToken token)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (!token.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, token);
                var session = await MqttSession.OpenAsync(_options, token);
                Volatile.Write(ref _inFlight, InFlightSlots(session));
                foreach (var (filter, (qos, _)) in _subscriptions)
                {
                    await session.SendAsync(new MqttSubscribePacket(NextPacketId(), [(filter, qos)]), token);
                }

                Volatile.Write(ref _session, session);
                return session;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or MqttConnectException or MqttProtocolException or OperationCanceledException)
            {
                delay = delay * 2 < _options.MaxReconnectDelay ? delay * 2 : _options.MaxReconnectDelay;
            }
        }

        return null;
    }

    private async ValueTask HandleAsync(MqttSession session, MqttPacket packet)
    {
        switch (packet)
        {
            case MqttAckPacket { Kind: MqttAckKind.PubRel } release:
                // The broker's QoS 2 delivery to us: complete it.
                await session.SendAsync(new MqttAckPacket(MqttAckKind.PubComp, release.PacketId), CancellationToken.None);
                break;
            case MqttAckPacket ack:
                Complete(ack.PacketId, ack);
                break;
            case MqttSubAckPacket subAck:
                Complete(subAck.PacketId, subAck);
                break;
            case MqttPublishPacket publish:
                await ReceiveAsync(session, publish);
                break;
            case MqttDisconnectPacket:
                throw new IOException("the broker sent DISCONNECT");
            default:
                // PINGRESP needs nothing.
                break;
        }
    }

    private async ValueTask ReceiveAsync(MqttSession session, MqttPublishPacket publish)
    {
        var readers = _subscriptions.Where(s => Matches(s.Key, publish.Topic)).Select(s => s.Value.Messages).ToList();

        // A message no subscription of this client wants (one a resumed session still held) is acknowledged at once.
        var explicitly = _options.ExplicitAcknowledgement && readers.Count > 0 && publish.QoS > 0;
        if (explicitly)
        {
            _unacknowledged[publish] = session;
        }

        foreach (var messages in readers)
        {
            await messages.Writer.WriteAsync(publish, _disposed.Token);
        }

        if (!explicitly && publish.QoS > 0)
        {
            await session.SendAsync(Acknowledgement(publish), CancellationToken.None);
        }
    }

    private void Complete(ushort packetId, MqttPacket answer)
    {
        if (_pending.TryGetValue(packetId, out var waiting))
        {
            waiting.TrySetResult(answer);
        }
    }

    private async Task KeepAliveAsync(MqttSession session, CancellationTokenSource connection)
    {
        using var timer = new PeriodicTimer(_options.KeepAlive / 2);
        try
        {
            while (await timer.WaitForNextTickAsync(connection.Token))
            {
                await session.SendAsync(new MqttPingReqPacket(), connection.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The connection ends; the lifetime loop takes over.
        }
    }

    private SemaphoreSlim InFlightSlots(MqttSession session)
    {
        var slots = Math.Max(1, Math.Min(_options.MaxInFlight, session.ConnAck.ReceiveMaximum));
        return new SemaphoreSlim(slots, slots);
    }
}
