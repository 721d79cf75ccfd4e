using System.Collections.Concurrent;
using System.Threading.Channels;
using Gateway.Protocols.Mqtt.Packets;

namespace Gateway.Protocols.Mqtt;

/// <summary>
/// A focused MQTT 3.1.1 / 5.0 client: publish with QoS 0, 1 and 2 within the broker's Receive Maximum, subscribe,
/// keep-alive, and reconnect with backoff. A publish in flight when the connection breaks fails with
/// <see cref="MqttNotConnectedException"/>; the gateway's retry store then sends it again (at least once).
/// </summary>
public sealed class MqttClient : IAsyncDisposable
{
    private readonly MqttClientOptions _options;
    private readonly CancellationTokenSource _disposed = new();
    private readonly ConcurrentDictionary<ushort, TaskCompletionSource<MqttPacket>> _pending = new();
    private readonly ConcurrentDictionary<string, (byte QoS, Channel<MqttPublishPacket> Messages)> _subscriptions = new(StringComparer.Ordinal);
    private readonly Task _lifetime;
    private SemaphoreSlim _inFlight;
    private MqttSession? _session;
    private int _nextPacketId;

    private MqttClient(MqttClientOptions options, MqttSession first)
    {
        _options = options;
        _session = first;
        _inFlight = InFlightSlots(first);
        _lifetime = Task.Run(() => LifetimeAsync(first));
    }

    /// <summary>True while connected.</summary>
    public bool IsConnected => Volatile.Read(ref _session) is not null;

    /// <summary>Connects; throws when the first connection cannot be made or is refused.</summary>
    public static async Task<MqttClient> ConnectAsync(MqttClientOptions options, CancellationToken cancellationToken = default) =>
        new(options, await MqttSession.OpenAsync(options, cancellationToken));

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
        var session = Volatile.Read(ref _session) ?? throw new MqttNotConnectedException($"not connected to {_options.Url}");
        var messages = Channel.CreateBounded<MqttPublishPacket>(4096);
        _subscriptions[filter] = (qos, messages);
        var packetId = NextPacketId();
        var ack = (MqttSubAckPacket)await ExchangeAsync(session, new MqttSubscribePacket(packetId, [(filter, qos)]), packetId, cancellationToken);
        return (ack.ReasonCodes[0], messages.Reader);
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
        foreach (var (filter, (_, messages)) in _subscriptions)
        {
            if (Matches(filter, publish.Topic))
            {
                await messages.Writer.WriteAsync(publish, _disposed.Token);
            }
        }

        if (publish.QoS == 1)
        {
            await session.SendAsync(new MqttAckPacket(MqttAckKind.PubAck, publish.PacketId), CancellationToken.None);
        }
        else if (publish.QoS == 2)
        {
            await session.SendAsync(new MqttAckPacket(MqttAckKind.PubRec, publish.PacketId), CancellationToken.None);
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
