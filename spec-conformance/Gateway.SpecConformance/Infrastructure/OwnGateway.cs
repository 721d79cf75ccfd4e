namespace Gateway.SpecConformance.Infrastructure;

/// <summary>
/// A gateway of a test class's own, default settings, started once for the class: what its tests create stays out
/// of the shared one (<see cref="ConformanceEnvironment"/>) without a process per test.
/// </summary>
public sealed class OwnGateway : IAsyncLifetime
{
    public GatewayProcess Process { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Process = await GatewayProcess.StartAsync();
        Client = new HttpClient { BaseAddress = Process.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Process.DisposeAsync();
    }
}
