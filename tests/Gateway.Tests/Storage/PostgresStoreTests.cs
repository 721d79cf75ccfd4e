using Gateway.Storage;
using Gateway.Storage.Postgres;
using Gateway.Testing;
using static Gateway.Tests.Storage.StoreData;

namespace Gateway.Tests.Storage;

/// <summary>The store contract against the PostgreSQL store: a fresh database per test on the shared server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreTests(PostgresFixture postgres) : StoreContract
{
    private string? _connectionString;

    private string ConnectionString => _connectionString ?? throw new InvalidOperationException("the database is created first");

    [Fact]
    public async Task Migrate_ConcurrentlyFromThreeNodes_AllSucceedOnce()
    {
        // Nodes of one deployment start together against a database none of them has migrated yet.
        var connectionString = await postgres.CreateDatabaseAsync();
        PostgresDatabase[] nodes = [new(connectionString), new(connectionString), new(connectionString)];
        try
        {
            await Task.WhenAll(nodes.Select(node => Task.Run(() => node.MigrateAsync(Ct), Ct)));

            var subscriptions = new PostgresSubscriptionStore(nodes[0]);
            await subscriptions.AddAsync(Subscription("sub-1"), Ct);
            Assert.NotNull(await new PostgresSubscriptionStore(nodes[2]).FindAsync("sub-1", Ct));
            await nodes[1].MigrateAsync(Ct);
            Assert.Single(await subscriptions.ListAsync(Ct));
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    private protected override async ValueTask CreateStorageAsync(CancellationToken cancellationToken) =>
        _connectionString = await postgres.CreateDatabaseAsync();

    private protected override async Task<StoreSet> OpenStoresAsync(CancellationToken cancellationToken)
    {
        var database = new PostgresDatabase(ConnectionString);
        try
        {
            await database.MigrateAsync(cancellationToken);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }

        var log = new PostgresEventLog(database, new SingleNodePartitions());
        return new StoreSet(
            new PostgresSubscriptionStore(database),
            log,
            new PostgresDeliveryStore(database),
            new PostgresDiscoveryStore(database),
            new PostgresSourceStore(database),
            async () =>
            {
                await log.DisposeAsync();
                await database.DisposeAsync();
            });
    }

    // The databases go with the server at the end of the run.
    private protected override ValueTask DeleteStorageAsync() => ValueTask.CompletedTask;
}
