using Npgsql;
using NpgsqlTypes;

namespace Gateway.Storage.Postgres;

/// <summary>
/// Sources as <c>jsonb</c> documents. Adding and deleting notify <see cref="ChangeChannel"/> in the same transaction,
/// so every node starts or stops the source.
/// </summary>
internal sealed class PostgresSourceStore(PostgresDatabase database) : ISourceStore
{
    /// <summary>The <c>LISTEN/NOTIFY</c> channel; the payload is the source's id.</summary>
    public const string ChangeChannel = "gateway_sources";

    public async Task<IReadOnlyList<StoredSource>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("SELECT id, document::text, state FROM sources ORDER BY added;");
        return await StoredRows.ReadAllAsync(command, StoredRows.Source, cancellationToken);
    }

    public async Task<StoredSource?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("SELECT id, document::text, state FROM sources WHERE id = @id;");
        command.Parameters.AddWithValue("id", id);
        return await StoredRows.ReadAllAsync(command, StoredRows.Source, cancellationToken) is [var found] ? found : null;
    }

    public async Task<bool> AddAsync(string id, string document, CancellationToken cancellationToken) =>
        await ChangeAsync(
            id,
            "INSERT INTO sources (id, document) VALUES (@id, @document) ON CONFLICT (id) DO NOTHING;",
            command => command.Parameters.AddWithValue("document", NpgsqlDbType.Jsonb, document),
            cancellationToken) == 1;

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        await ChangeAsync(id, "DELETE FROM sources WHERE id = @id;", _ => { }, cancellationToken) == 1;

    public async Task SaveStateAsync(string id, string state, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("UPDATE sources SET state = @state WHERE id = @id;");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("state", state);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private Task<int> ChangeAsync(string id, string sql, Action<NpgsqlBatchCommand> bind, CancellationToken cancellationToken) =>
        database.ChangeAndNotifyAsync(ChangeChannel, id, sql, bind, cancellationToken);
}
