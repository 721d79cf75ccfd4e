namespace Gateway.SpecConformance.Infrastructure;

/// <summary>
/// The gateway and the sink every test shares. The gateway is the one at <c>GATEWAY_URL</c> when that is set (a
/// deployed gateway that can reach this machine's loopback sink), else a process started here.
/// </summary>
public sealed class ConformanceEnvironment : IAsyncLifetime
{
    private GatewayProcess? _process;

    public Uri GatewayAddress { get; private set; } = null!;

    public SinkServer Sink { get; private set; } = null!;

    /// <summary>A fake OpenWhisk controller (OpenWhisk cannot run here).</summary>
    public FakeOpenWhisk OpenWhisk { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Sink = await SinkServer.StartAsync();
        OpenWhisk = await FakeOpenWhisk.StartAsync();
        var external = Environment.GetEnvironmentVariable("GATEWAY_URL");
        if (string.IsNullOrEmpty(external))
        {
            _process = await GatewayProcess.StartAsync();
            GatewayAddress = _process.BaseAddress;
        }
        else
        {
            GatewayAddress = new Uri(external.TrimEnd('/') + "/");
        }

        Client = new HttpClient { BaseAddress = GatewayAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        await Sink.DisposeAsync();
        await OpenWhisk.DisposeAsync();
    }
}
