using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Gateway.Protocols.Nats;

/// <summary>
/// A NATS client connection that survives server restarts: when the connection breaks it reconnects with backoff
/// and re-subscribes. While it reconnects, publishing fails fast with <see cref="NatsNotConnectedException"/>; the
/// gateway's durable retry store is the pending buffer, so the client holds no unbounded queue of its own.
/// </summary>
public sealed class NatsConnection : IAsyncDisposable
{
    private const int SubscriptionCapacity = 4096;

    private readonly NatsOptions _options;
    private readonly CancellationTokenSource _disposed = new();
    private readonly ConcurrentDictionary<long, Subscription> _subscriptions = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<NatsMessage>> _requests = new(StringComparer.Ordinal);
    private readonly string _inboxPrefix = "_INBOX." + Guid.NewGuid().ToString("N") + ".";
    private readonly Task _lifetime;
    private NatsSession? _session;
    private long _nextSid;
    private long _nextRequest;
    private int _outstandingPings;

    private NatsConnection(NatsOptions options, NatsSession first)
    {
        _options = options;
        _session = first;
        _lifetime = Task.Run(() => LifetimeAsync(first));
    }

    /// <summary>The INFO of the server the client is connected to, or was last.</summary>
    public NatsServerInfo ServerInfo { get; private set; } = null!;

    /// <summary>True while a connection is up.</summary>
    public bool IsConnected => Volatile.Read(ref _session) is not null;

    /// <summary>Connects; throws when the first connection cannot be made.</summary>
    public static async Task<NatsConnection> ConnectAsync(NatsOptions options, CancellationToken cancellationToken = default)
    {
        var session = await NatsSession.OpenAsync(options, cancellationToken);
        var connection = new NatsConnection(options, session) { ServerInfo = session.Info };
        await connection.SubscribeInboxAsync(session, cancellationToken);
        return connection;
    }

    /// <summary>
    /// Publishes and flushes. Core NATS is at most once: written and flushed is all the server confirms. Throws
    /// <see cref="NatsNotConnectedException"/> while reconnecting and <see cref="NatsPayloadTooLargeException"/> when the
    /// message exceeds the server's max_payload.
    /// </summary>
    public async ValueTask PublishAsync(
        string subject, NatsHeaders? headers, ReadOnlyMemory<byte> payload, string? replyTo = null, CancellationToken cancellationToken = default)
    {
        var session = Volatile.Read(ref _session) ?? throw new NatsNotConnectedException($"not connected to {_options.Url}; reconnecting");
        var size = payload.Length + (headers is { Count: > 0 } ? headers.ToBytes().Length : 0);
        if (size > session.Info.MaxPayload)
        {
            throw new NatsPayloadTooLargeException($"the message has {size} bytes; the server's max_payload is {session.Info.MaxPayload}");
        }

        if (headers is { Count: > 0 } && !session.Info.Headers)
        {
            throw new NatsProtocolException("the server does not support headers (NATS 2.2 or later is needed)");
        }

        try
        {
            await session.WriteAsync(w => NatsProtocolWriter.WritePublish(w, subject, replyTo, headers, payload.Span), cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            throw new NatsNotConnectedException($"the connection to {_options.Url} broke: {ex.Message}");
        }
    }

    /// <summary>Publishes with a reply inbox and waits for the first reply (JetStream publishes, requests).</summary>
    public async Task<NatsMessage> RequestAsync(
        string subject, NatsHeaders? headers, ReadOnlyMemory<byte> payload, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var inbox = _inboxPrefix + Interlocked.Increment(ref _nextRequest);
        var reply = new TaskCompletionSource<NatsMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests[inbox] = reply;
        try
        {
            await PublishAsync(subject, headers, payload, inbox, cancellationToken);
            return await reply.Task.WaitAsync(timeout, cancellationToken);
        }
        finally
        {
            _requests.TryRemove(inbox, out _);
        }
    }

    /// <summary>
    /// Subscribes; messages arrive on <see cref="NatsSubscription.Messages"/> (bounded: a slow reader slows the
    /// connection rather than letting memory grow).
    /// </summary>
    public async Task<NatsSubscription> SubscribeAsync(string subject, string? queueGroup = null, CancellationToken cancellationToken = default)
    {
        var sid = Interlocked.Increment(ref _nextSid);
        var subscription = new Subscription(subject, queueGroup, Channel.CreateBounded<NatsMessage>(SubscriptionCapacity));
        _subscriptions[sid] = subscription;
        if (Volatile.Read(ref _session) is { } session)
        {
            await session.WriteAsync(w => NatsProtocolWriter.WriteSubscribe(w, subject, queueGroup, sid), cancellationToken);
        }

        return new NatsSubscription(sid, subscription.Messages.Reader);
    }

    /// <summary>Ends a subscription (<c>UNSUB</c>); its reader completes.</summary>
    public async Task UnsubscribeAsync(NatsSubscription subscription, CancellationToken cancellationToken = default)
    {
        if (_subscriptions.TryRemove(subscription.Sid, out var removed))
        {
            removed.Messages.Writer.TryComplete();
            if (Volatile.Read(ref _session) is { } session)
            {
                await session.WriteAsync(w => NatsProtocolWriter.WriteUnsubscribe(w, subscription.Sid), cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        try
        {
            await _lifetime;
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }

        if (Interlocked.Exchange(ref _session, null) is { } session)
        {
            await session.DisposeAsync();
        }

        foreach (var subscription in _subscriptions.Values)
        {
            subscription.Messages.Writer.TryComplete();
        }

        _disposed.Dispose();
    }

    /// <summary>Runs sessions one after the other: read until the connection breaks, then reconnect with backoff.</summary>
    private async Task LifetimeAsync(NatsSession session)
    {
        var token = _disposed.Token;
        while (!token.IsCancellationRequested)
        {
            using (var pings = CancellationTokenSource.CreateLinkedTokenSource(token))
            {
                var pinger = PingAsync(session, pings);
                try
                {
                    await session.ReadLoopAsync(op => HandleAsync(session, op), pings.Token);
                }
                catch (Exception ex) when (ex is IOException or NatsProtocolException or OperationCanceledException or System.Net.Sockets.SocketException)
                {
                    // The connection is gone (or disposal began); below, a new one is made.
                }

                await pings.CancelAsync();
                await pinger;
            }

            Interlocked.CompareExchange(ref _session, null, session);
            await session.DisposeAsync();
            if (token.IsCancellationRequested)
            {
                return;
            }

            session = await ReconnectAsync(token);
        }
    }

    private async Task<NatsSession> ReconnectAsync(CancellationToken token)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            await Task.Delay(delay, token);
            try
            {
                var session = await NatsSession.OpenAsync(_options, token);
                await SubscribeInboxAsync(session, token);
                foreach (var (sid, subscription) in _subscriptions)
                {
                    await session.WriteAsync(w => NatsProtocolWriter.WriteSubscribe(w, subscription.Subject, subscription.QueueGroup, sid), token);
                }

                ServerInfo = session.Info;
                Interlocked.Exchange(ref _outstandingPings, 0);
                Volatile.Write(ref _session, session);
                return session;
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or NatsConnectException or NatsProtocolException or TimeoutException
                or OperationCanceledException && !token.IsCancellationRequested)
            {
                delay = delay * 2 < _options.MaxReconnectDelay ? delay * 2 : _options.MaxReconnectDelay;
            }
        }
    }

    private async Task SubscribeInboxAsync(NatsSession session, CancellationToken cancellationToken) =>
        await session.WriteAsync(w => NatsProtocolWriter.WriteSubscribe(w, _inboxPrefix + "*", null, 0), cancellationToken);

    private async ValueTask HandleAsync(NatsSession session, NatsServerOp op)
    {
        switch (op.Kind)
        {
            case NatsOpKind.Ping:
                await session.WriteAsync(NatsProtocolWriter.WritePong, CancellationToken.None);
                break;
            case NatsOpKind.Pong:
                Interlocked.Exchange(ref _outstandingPings, 0);
                break;
            case NatsOpKind.Msg when op.Message!.Sid == 0:
                if (_requests.TryRemove(op.Message.Subject, out var reply))
                {
                    reply.TrySetResult(op.Message);
                }

                break;
            case NatsOpKind.Msg:
                if (_subscriptions.TryGetValue(op.Message!.Sid, out var subscription))
                {
                    await subscription.Messages.Writer.WriteAsync(op.Message, _disposed.Token);
                }

                break;
            default:
                // +OK does not come (verbose is off); -ERR after the handshake is followed by the server closing the
                // connection when it is fatal, which the read loop notices.
                break;
        }
    }

    /// <summary>Keep-alive: a PING every interval; two unanswered end the connection, so a dead one is noticed.</summary>
    private async Task PingAsync(NatsSession session, CancellationTokenSource connection)
    {
        using var timer = new PeriodicTimer(_options.PingInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(connection.Token))
            {
                if (Interlocked.Increment(ref _outstandingPings) > 2)
                {
                    await connection.CancelAsync();
                    return;
                }

                await session.WriteAsync(NatsProtocolWriter.WritePing, connection.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The connection ends; the lifetime loop takes over.
        }
    }

    private sealed record Subscription(string Subject, string? QueueGroup, Channel<NatsMessage> Messages);
}

/// <summary>A subscription: its id and the messages that arrive for it.</summary>
public sealed record NatsSubscription(long Sid, ChannelReader<NatsMessage> Messages);
