using Gateway.Storage.Postgres.Documents;
using Marten;
using Npgsql;

namespace Gateway.Storage.Postgres;

/// <summary>
/// The production store: one PostgreSQL database that several gateway nodes share. Documents (subscriptions,
/// registered services) are Marten's (<see cref="GatewayDocuments"/>); events are the bytes of their JSON format and
/// times are Unix milliseconds, as in the embedded store. The schema is created and migrated on start.
/// </summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    /// <summary>How many partitions the event log has: the most nodes that can dispatch at once.</summary>
    public const int PartitionCount = 16;

    /// <summary>First key of every advisory lock the gateway takes ("CEGW"), so they do not collide with others'.</summary>
    public const int LockNamespace = 0x43454757;

    /// <summary>Second key of the migration lock; partitions use 0..15, nodes <see cref="NodeLockBase"/> up to twice that.</summary>
    private const int MigrationLock = PartitionCount;

    /// <summary>Where the node-presence locks start (a node takes a random key above it).</summary>
    public const int NodeLockBase = 1 << 20;

    /// <summary>
    /// Versioned, append-only migrations (<c>Migrations/*.sql</c>, in name order); the applied version is kept in
    /// <c>schema_version</c>. Tests replay the first ones to build a database as an older gateway left it.
    /// </summary>
    public static readonly IReadOnlyList<string> Migrations =
    [
        .. SqlScripts.Load(typeof(PostgresDatabase).Assembly)
            .Select(sql => sql.Replace("@last_partition", (PartitionCount - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)),
    ];

    /// <summary>The migration that drops the tables the documents were kept in before Marten.</summary>
    private const int DocumentsMovedToMarten = 2;

    public PostgresDatabase(string connectionString)
    {
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
        Documents = GatewayDocuments.Create(DataSource);
    }

    /// <summary>The pooled connections every store shares.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>The documents, through Marten, on the same pool.</summary>
    public DocumentStore Documents { get; }

    /// <summary>For the connection that holds this node's leases, which must not come from (or go back to) the pool.</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// Applies Marten's schema and the migrations this database has not seen yet, in one transaction under an advisory
    /// lock, so several nodes starting at once migrate it exactly once.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@namespace, @key);", connection, transaction);
        command.Parameters.AddWithValue("namespace", LockNamespace);
        command.Parameters.AddWithValue("key", MigrationLock);
        await command.ExecuteNonQueryAsync(cancellationToken);

        command.Parameters.Clear();
        command.CommandText = "CREATE TABLE IF NOT EXISTS schema_version (version int NOT NULL);";
        await command.ExecuteNonQueryAsync(cancellationToken);
        command.CommandText = "SELECT coalesce(max(version), 0) FROM schema_version;";
        var version = (int)(await command.ExecuteScalarAsync(cancellationToken))!;

        // Marten applies its changes on its own connection; the lock held here keeps the other nodes out meanwhile.
        await Documents.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        for (var i = version; i < Migrations.Count; i++)
        {
            if (i == DocumentsMovedToMarten)
            {
                await LegacyDocumentImport.ImportAsync(Documents, transaction, cancellationToken);
            }

            command.CommandText = Migrations[i];
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        command.CommandText = $"DELETE FROM schema_version; INSERT INTO schema_version VALUES ({Migrations.Count});";
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        // Marten does not dispose a data source it was given.
        Documents.Dispose();
        return DataSource.DisposeAsync();
    }
}
