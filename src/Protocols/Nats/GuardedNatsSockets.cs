using System.Net.Sockets;
using Gateway.Protocols.Abstractions;
using NATS.Client.Core;

namespace Gateway.Protocols.Nats;

/// <summary>
/// Every NATS connection goes through the SSRF guard, the seed address and every server the
/// cluster gossips (<c>connect_urls</c>) alike, since NATS.Net asks this factory for each one it tries. NATS.Net
/// upgrades the socket to TLS itself when the server asks for it.
/// </summary>
internal sealed class GuardedNatsSockets(OutboundGuard guard) : INatsSocketConnectionFactory
{
    public async ValueTask<INatsSocketConnection> ConnectAsync(Uri uri, NatsOpts opts, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(opts.ConnectTimeout);
        return new Connection(await guard.ConnectAsync(uri.Host, uri.Port > 0 ? uri.Port : 4222, timeout.Token));
    }

    private sealed class Connection(Socket socket) : INatsTlsUpgradeableSocketConnection
    {
        public Socket Socket => socket;

        public ValueTask<int> SendAsync(ReadOnlyMemory<byte> buffer) => socket.SendAsync(buffer, SocketFlags.None);

        public ValueTask<int> ReceiveAsync(Memory<byte> buffer) => socket.ReceiveAsync(buffer, SocketFlags.None);

        public ValueTask DisposeAsync()
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
