using System.Threading.Channels;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Json;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite;

/// <summary>
/// The event log in SQLite, with group commit: appends wait in a queue, and one writer commits everything queued in
/// one transaction, so many concurrent requests share one fsync. One node owns the file, so the log has one
/// partition (0).
/// </summary>
internal sealed class SqliteEventLog : IEventLog, IAsyncDisposable
{
    private readonly SqliteDatabase _database;
    private readonly Channel<bool> _appended = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly GroupCommit _group;
    private SqliteConnection? _writeConnection;
    private readonly RecentEvents _recent = new(16384);

    public SqliteEventLog(SqliteDatabase database)
    {
        _database = database;
        _group = new GroupCommit(CommitAsync);
    }

    public ValueTask AppendAsync(IReadOnlyList<CloudEvent> events, CancellationToken cancellationToken) =>
        _group.AppendAsync(events, cancellationToken);

    public async Task<IReadOnlyList<LoggedEvent>> ReadAsync(int partition, long after, int max, CancellationToken cancellationToken)
    {
        CheckPartition(partition);
        if (_recent.TryRead(after, max, out var recent))
        {
            return recent;
        }

        await using var connection = await _database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT position, event FROM events WHERE position > $after ORDER BY position LIMIT $max;";
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$max", max);
        var result = new List<LoggedEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new LoggedEvent(reader.GetInt64(0), JsonEventFormat.Parse((byte[])reader[1])));
        }

        return result;
    }

    public async Task<long> ReadCheckpointAsync(int partition, CancellationToken cancellationToken)
    {
        CheckPartition(partition);
        await using var connection = await _database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT position FROM checkpoints WHERE name = 'dispatcher';";
        return await command.ExecuteScalarAsync(cancellationToken) is long position ? position : 0;
    }

    public async Task SaveCheckpointAsync(int partition, long position, CancellationToken cancellationToken)
    {
        CheckPartition(partition);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO checkpoints (name, position) VALUES ('dispatcher', $position)
                ON CONFLICT (name) DO UPDATE SET position = max(position, excluded.position);
            DELETE FROM events WHERE position <= $position;
            """;
        command.Parameters.AddWithValue("$position", position);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task WaitForAppendAsync(int partition, CancellationToken cancellationToken)
    {
        CheckPartition(partition);
        await _appended.Reader.ReadAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _group.DisposeAsync();
        if (_writeConnection is not null)
        {
            await _writeConnection.DisposeAsync();
        }
    }

    private static void CheckPartition(int partition) =>
        ArgumentOutOfRangeException.ThrowIfNotEqual(partition, 0);

    /// <summary>Commits one group in one transaction on the writer's own connection (one fsync for all of it).</summary>
    private async Task CommitAsync(IReadOnlyList<PendingAppend> group)
    {
        _writeConnection ??= await _database.OpenAsync(CancellationToken.None);
        using var insert = _writeConnection.CreateCommand();
        insert.CommandText = "INSERT INTO events (event) VALUES ($event) RETURNING position;";
        var parameter = insert.Parameters.Add("$event", SqliteType.Blob);
        var committed = new List<LoggedEvent>();
        using var transaction = _writeConnection.BeginTransaction();
        insert.Transaction = transaction;
        foreach (var pending in group)
        {
            for (var i = 0; i < pending.Serialized.Length; i++)
            {
                parameter.Value = pending.Serialized[i];
                committed.Add(new LoggedEvent((long)insert.ExecuteScalar()!, pending.Events[i]));
            }
        }

        transaction.Commit();
        _recent.Add(committed);
        _appended.Writer.TryWrite(true);
    }
}
