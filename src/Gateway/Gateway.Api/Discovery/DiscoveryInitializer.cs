using Gateway.Storage;

namespace Gateway.Discovery;

/// <summary>Loads the discovery data before Kestrel listens; the gateway's own id is created here on first start.</summary>
internal sealed class DiscoveryInitializer(IDiscoveryStore store, ServiceCatalog services, EventCatalog events, DiscoveryOptions options)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var state = await store.LoadAsync(cancellationToken);
        services.Restore(state);
        services.SelfName = options.Name;
        events.Restore(state);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
