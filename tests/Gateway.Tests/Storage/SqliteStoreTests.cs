using Gateway.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using static Gateway.Tests.Storage.StoreData;

namespace Gateway.Tests.Storage;

/// <summary>The store contract against the embedded store: a fresh SQLite file per test.</summary>
public sealed class SqliteStoreTests : StoreContract
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gateway-store-").FullName;

    private string ConnectionString => $"Data Source={Path.Combine(_directory, "gateway.db")}";

    // SQLite creates the file on the first open.
    private protected override ValueTask CreateStorageAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    private protected override async Task<StoreSet> OpenStoresAsync(CancellationToken cancellationToken)
    {
        var database = new SqliteDatabase(ConnectionString);
        await database.MigrateAsync(cancellationToken);
        var log = new SqliteEventLog(database);
        return new StoreSet(
            new SqliteSubscriptionStore(database, Secrets),
            log,
            new SqliteDeliveryStore(database),
            new SqliteDiscoveryStore(database),
            new SqliteSourceStore(database),
            log.DisposeAsync);
    }

    private protected override ValueTask DeleteStorageAsync()
    {
        // Pooled connections keep the file (and its WAL) open.
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
