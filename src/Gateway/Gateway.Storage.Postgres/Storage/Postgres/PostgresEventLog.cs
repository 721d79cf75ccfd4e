using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Json;
using Npgsql;

namespace Gateway.Storage.Postgres;

/// <summary>
/// The event log in PostgreSQL, partitioned so several nodes share the dispatching. Appends are group-committed: one
/// writer takes everything queued and commits it as one statement with an array parameter. A node appends to a
/// partition it owns, so its own dispatcher reads the events from memory; positions within a partition are dense
/// and commit in order, because the statement claims them by incrementing the partition's head row, whose lock
/// holds until the commit.
/// </summary>
internal sealed class PostgresEventLog : IEventLog, IAsyncDisposable
{
    /// <summary>The <c>LISTEN/NOTIFY</c> channel; the payload is the partition another node appended to.</summary>
    public const string AppendChannel = "gateway_events";

    private const string AppendSql = """
        WITH claimed AS (
            UPDATE log_partitions SET head = head + cardinality(@events) WHERE partition = @partition
            RETURNING head - cardinality(@events) AS base)
        INSERT INTO events (partition, position, event)
            SELECT @partition, claimed.base + appended.ordinal, appended.event
            FROM claimed, unnest(@events) WITH ORDINALITY AS appended(event, ordinal)
        RETURNING position;
        """;

    private readonly PostgresDatabase _database;
    private readonly ILogPartitions _partitions;
    private readonly AppendSignals _signals;
    private readonly RecentEvents[] _recent = [.. Enumerable.Range(0, PostgresDatabase.PartitionCount).Select(_ => new RecentEvents(4096))];
    private readonly GroupCommit _group;
    private int _nextOwned;

    public PostgresEventLog(PostgresDatabase database, ILogPartitions partitions, AppendSignals? signals = null)
    {
        _database = database;
        _partitions = partitions;
        _signals = signals ?? new AppendSignals();
        _group = new GroupCommit(CommitAsync);
    }

    public ValueTask AppendAsync(IReadOnlyList<CloudEvent> events, CancellationToken cancellationToken) =>
        _group.AppendAsync(events, cancellationToken);

    public async Task<IReadOnlyList<LoggedEvent>> ReadAsync(int partition, long after, int max, CancellationToken cancellationToken)
    {
        if (_recent[partition].TryRead(after, max, out var recent))
        {
            return recent;
        }

        await using var command = _database.DataSource.CreateCommand(
            "SELECT position, event FROM events WHERE partition = @partition AND position > @after ORDER BY position LIMIT @max;");
        command.Parameters.AddWithValue("partition", partition);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("max", max);
        var result = new List<LoggedEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new LoggedEvent(reader.GetInt64(0), JsonEventFormat.Parse(reader.GetFieldValue<byte[]>(1))));
        }

        return result;
    }

    public async Task<long> ReadCheckpointAsync(int partition, CancellationToken cancellationToken)
    {
        await using var command = _database.DataSource.CreateCommand("SELECT position FROM log_checkpoints WHERE partition = @partition;");
        command.Parameters.AddWithValue("partition", partition);
        return await command.ExecuteScalarAsync(cancellationToken) is long position ? position : 0;
    }

    public async Task SaveCheckpointAsync(int partition, long position, CancellationToken cancellationToken)
    {
        await using var batch = _database.DataSource.CreateBatch();
        var save = new NpgsqlBatchCommand("""
            INSERT INTO log_checkpoints (partition, position) VALUES (@partition, @position)
                ON CONFLICT (partition) DO UPDATE SET position = greatest(log_checkpoints.position, excluded.position);
            """);
        var prune = new NpgsqlBatchCommand("DELETE FROM events WHERE partition = @partition AND position <= @position;");
        foreach (var command in (NpgsqlBatchCommand[])[save, prune])
        {
            command.Parameters.AddWithValue("partition", partition);
            command.Parameters.AddWithValue("position", position);
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task WaitForAppendAsync(int partition, CancellationToken cancellationToken) =>
        _signals.WaitAsync(partition, cancellationToken);

    public ValueTask DisposeAsync() => _group.DisposeAsync();

    /// <summary>One of the partitions this node owns, in turn; any partition while it owns none yet.</summary>
    private int ChoosePartition()
    {
        var owned = _partitions.Owned;
        if (owned.Count == 0)
        {
            return Random.Shared.Next(PostgresDatabase.PartitionCount);
        }

        _nextOwned = (_nextOwned + 1) % owned.Count;
        return owned.ElementAt(_nextOwned);
    }

    /// <summary>Commits one group to a partition this node owns, and hands it to this node's dispatcher.</summary>
    private async Task CommitAsync(IReadOnlyList<PendingAppend> group)
    {
        var partition = ChoosePartition();
        var first = await CommitAsync(partition, [.. group.SelectMany(p => p.Serialized)]);
        if (_partitions.Owned.Contains(partition))
        {
            // Kept only for this node's own dispatcher; another node's reads them from the store.
            _recent[partition].Add(group.SelectMany(p => p.Events).Select((e, i) => new LoggedEvent(first + i, e)));
            _signals.Signal(partition);
        }
    }

    /// <summary>Commits the events to a partition in one implicit transaction; returns the first position.</summary>
    private async Task<long> CommitAsync(int partition, byte[][] events)
    {
        await using var batch = _database.DataSource.CreateBatch();
        var append = new NpgsqlBatchCommand(AppendSql);
        append.Parameters.AddWithValue("partition", partition);
        append.Parameters.AddWithValue("events", events);
        batch.BatchCommands.Add(append);
        if (!_partitions.Owned.Contains(partition))
        {
            // Another node dispatches this partition: wake it (NOTIFY is delivered at commit, and only then).
            var notify = new NpgsqlBatchCommand("SELECT pg_notify(@channel, @partition::text);");
            notify.Parameters.AddWithValue("channel", AppendChannel);
            notify.Parameters.AddWithValue("partition", partition);
            batch.BatchCommands.Add(notify);
        }

        var first = long.MaxValue;
        await using (var reader = await batch.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                first = Math.Min(first, reader.GetInt64(0));
            }
        }

        return first;
    }
}
