namespace Gateway.Hosting;

/// <summary>Creates or migrates the store's schema before anything reads it.</summary>
internal sealed class StoreInitializer(Func<CancellationToken, Task> migrate) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrate(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
