using Gateway.Storage.Sqlite;
using Gateway.Subscriptions;

namespace Gateway.Hosting;

/// <summary>Migrates the store and loads subscriptions before the dispatcher starts and Kestrel listens.</summary>
internal sealed class StoreInitializer(SqliteDatabase database, SubscriptionManager subscriptions) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await database.MigrateAsync(cancellationToken);
        await subscriptions.LoadAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
