using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.SpecConformance.Infrastructure;

/// <summary>
/// A TLS front for a plaintext server on loopback: it completes the handshake with its certificate, then relays bytes
/// both ways. It counts handshakes that completed and bytes the client sent after one, which show that a client
/// accepted the certificate and spoke through it.
/// </summary>
public sealed class TlsRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2 _certificate;
    private readonly int _targetPort;
    private int _handshakes;
    private long _relayed;

    public TlsRelay(X509Certificate2 certificate, int targetPort)
    {
        _certificate = certificate;
        _targetPort = targetPort;
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Handshakes a client completed.</summary>
    public int Handshakes => Volatile.Read(ref _handshakes);

    /// <summary>Bytes clients sent through a completed handshake.</summary>
    public long RelayedBytes => Interlocked.Read(ref _relayed);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(() => RelayAsync(client));
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(_certificate, clientCertificateRequired: false, checkCertificateRevocation: false);
                Interlocked.Increment(ref _handshakes);
                using var target = new TcpClient();
                await target.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
                var upstream = target.GetStream();
                await Task.WhenAny(CopyAsync(tls, upstream, count: true), CopyAsync(upstream, tls, count: false));
            }
            catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or SocketException or OperationCanceledException)
            {
                // The client refused the certificate, or a side hung up: the counters say what happened.
            }
        }
    }

    private async Task CopyAsync(Stream from, Stream to, bool count)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            if (count)
            {
                Interlocked.Add(ref _relayed, read);
            }

            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }
}
