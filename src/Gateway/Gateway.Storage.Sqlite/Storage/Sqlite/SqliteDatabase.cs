using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite;

/// <summary>The embedded store: one SQLite file, its schema created and migrated on start.</summary>
internal sealed class SqliteDatabase
{
    /// <summary>
    /// Versioned, append-only migrations (<c>Migrations/*.sql</c>, in name order); the applied version is kept in
    /// <c>PRAGMA user_version</c>.
    /// </summary>
    private static readonly IReadOnlyList<string> Migrations = SqlScripts.Load(typeof(SqliteDatabase).Assembly);

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
        for (var i = version; i < Migrations.Count; i++)
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
