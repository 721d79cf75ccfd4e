using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite;

/// <summary>Sources as JSON documents in SQLite.</summary>
internal sealed class SqliteSourceStore(SqliteDatabase database) : ISourceStore
{
    public async Task<IReadOnlyList<StoredSource>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, document, state FROM sources ORDER BY rowid;";
        return await StoredRows.ReadAllAsync(command, StoredRows.Source, cancellationToken);
    }

    public async Task<StoredSource?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, document, state FROM sources WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        return await StoredRows.ReadAllAsync(command, StoredRows.Source, cancellationToken) is [var found] ? found : null;
    }

    public async Task<bool> AddAsync(string id, string document, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO sources (id, document) VALUES ($id, $document) ON CONFLICT (id) DO NOTHING;";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$document", document);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM sources WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task SaveStateAsync(string id, string state, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE sources SET state = $state WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$state", state);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
