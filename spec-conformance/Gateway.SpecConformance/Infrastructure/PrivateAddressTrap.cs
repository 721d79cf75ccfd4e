using System.Net;
using System.Net.Sockets;

namespace Gateway.SpecConformance.Infrastructure;

/// <summary>
/// A gateway with <c>Gateway:Delivery:AllowPrivateSinks=false</c>, and a bare TCP listener on loopback, the "broker"
/// every test of the class aims at, that counts the connections it gets: a guard that works leaves it at zero. One of
/// each for the whole class, so its dozens of cases start one gateway, not one each.
/// </summary>
public sealed class PrivateAddressTrap : IAsyncLifetime
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private GatewayProcess _gateway = null!;
    private int _connections;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many connections reached the listener so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                using var accepted = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
            }
        });
        _gateway = await GatewayProcess.StartAsync(settings: new Dictionary<string, string> { ["Gateway:Delivery:AllowPrivateSinks"] = "false" });
        Client = new HttpClient { BaseAddress = _gateway.BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Client.Dispose();
        await _gateway.DisposeAsync();
        _stop.Dispose();
    }
}
