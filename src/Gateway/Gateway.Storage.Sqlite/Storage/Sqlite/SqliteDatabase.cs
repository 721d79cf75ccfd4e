using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite;

/// <summary>The embedded store: one SQLite file, its schema created and migrated on start.</summary>
internal sealed class SqliteDatabase
{
    /// <summary>Versioned, append-only migrations; the applied version is kept in <c>PRAGMA user_version</c>.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE subscriptions (
            id TEXT PRIMARY KEY,
            document TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL);
        -- AUTOINCREMENT: positions never go back, even after the log was pruned to empty.
        CREATE TABLE events (
            position INTEGER PRIMARY KEY AUTOINCREMENT,
            event BLOB NOT NULL);
        CREATE TABLE checkpoints (
            name TEXT PRIMARY KEY,
            position INTEGER NOT NULL);
        """,
        """
        CREATE TABLE retries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            subscription_id TEXT NOT NULL,
            event BLOB NOT NULL,
            attempts INTEGER NOT NULL,
            first_attempt INTEGER NOT NULL,
            due INTEGER NOT NULL,
            last_code INTEGER,
            last_reason TEXT);
        CREATE INDEX retries_due ON retries (subscription_id, due);
        CREATE TABLE deadletters (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            subscription_id TEXT NOT NULL,
            event BLOB NOT NULL,
            reason TEXT NOT NULL,
            code INTEGER,
            attempts INTEGER NOT NULL,
            time INTEGER NOT NULL,
            error TEXT);
        CREATE INDEX deadletters_subscription ON deadletters (subscription_id, id);
        ALTER TABLE subscriptions ADD COLUMN disabled_reason TEXT;
        """,
        """
        CREATE TABLE discovery_self (
            singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
            id TEXT NOT NULL,
            epoch INTEGER NOT NULL);
        CREATE TABLE services (
            id TEXT PRIMARY KEY,
            document TEXT NOT NULL);
        CREATE TABLE known_event_types (
            type TEXT PRIMARY KEY,
            datacontenttype TEXT,
            dataschema TEXT,
            last_seen INTEGER NOT NULL);
        """,
        """
        ALTER TABLE subscriptions ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE subscriptions ADD COLUMN state_changed INTEGER;
        """,
        """
        CREATE TABLE sources (
            id TEXT PRIMARY KEY,
            document TEXT NOT NULL,
            state TEXT);
        """,
    ];

    private readonly string _connectionString;

    public SqliteDatabase(string connectionString)
    {
        _connectionString = new SqliteConnectionStringBuilder(connectionString) { Pooling = true }.ToString();
    }

    /// <summary>Opens a connection with the pragmas every connection needs.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        using var pragma = connection.CreateCommand();

        // FULL makes a commit durable across power loss; the group commit pays that fsync once for many requests.
        // (journal_mode is a property of the file, set once in MigrateAsync.)
        pragma.CommandText = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>Applies the migrations this file has not seen yet, each in its own transaction.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        using var read = connection.CreateCommand();

        // WAL lets the dispatcher and the API read while ingress appends. It persists in the file.
        read.CommandText = "PRAGMA journal_mode=WAL;";
        await read.ExecuteNonQueryAsync(cancellationToken);
        read.CommandText = "PRAGMA user_version;";
        var version = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken));
        for (var i = version; i < Migrations.Length; i++)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            using var migrate = connection.CreateCommand();
            migrate.Transaction = transaction;
            migrate.CommandText = $"{Migrations[i]}\nPRAGMA user_version = {i + 1};";
            await migrate.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }
}
