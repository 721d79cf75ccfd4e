using Gateway.Subscriptions;

namespace Gateway.Hosting;

/// <summary>Loads the stored subscriptions into delivery before the dispatcher starts and Kestrel listens.</summary>
internal sealed class SubscriptionLoader(SubscriptionManager subscriptions) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => subscriptions.LoadAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
