using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using System.Threading.Channels;
using Npgsql;

namespace Gateway.Storage.Postgres;

/// <summary>
/// Shares the event log's partitions among the live nodes on one database with session advisory locks, held on one
/// connection of its own: a node that dies loses its connection, PostgreSQL drops its locks at once, and the others
/// take the partitions over at their next round (every second). Each node also holds a presence lock, so every node
/// counts the live ones from <c>pg_locks</c> and takes its fair share, no more. The same connection listens for
/// other nodes' changes and appends.
/// </summary>
internal sealed partial class PartitionLeases(
    PostgresDatabase database, AppendSignals appends, StoreChanges changes, TimeProvider time, ILogger<PartitionLeases> logger)
    : BackgroundService, ILogPartitions
{
    private static readonly TimeSpan Round = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MinWait = TimeSpan.FromMilliseconds(10);

    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentQueue<(string Channel, string Payload)> _notifications = new();
    private FrozenSet<int> _owned = FrozenSet<int>.Empty;

    public IReadOnlyCollection<int> Owned => Volatile.Read(ref _owned);

    public bool Owns(string key) => Owned.Contains(PartitionOf(key));

    public async Task WaitForChangeAsync(CancellationToken cancellationToken) =>
        await _changed.Reader.ReadAsync(cancellationToken);

    /// <summary>The partition a key belongs to: a stable hash (FNV-1a) of it.</summary>
    private static int PartitionOf(string key)
    {
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % PostgresDatabase.PartitionCount);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                try
                {
                    await LeaseAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The connection broke, so the locks are gone: stop dispatching, then join again.
                    Publish(FrozenSet<int>.Empty);
                    Log.Lost(logger, ex);
                    await Task.Delay(Round, time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: closing the connection releases the locks.
        }
        finally
        {
            Publish(FrozenSet<int>.Empty);
        }
    }

    private async Task LeaseAsync(CancellationToken stoppingToken)
    {
        // Not from the pool: the locks live and die with this one session.
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false, KeepAlive = 5 };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Notification += (_, e) => _notifications.Enqueue((e.Channel, e.Payload));
        await connection.OpenAsync(stoppingToken);
        await JoinAsync(connection, stoppingToken);
        var releasing = new List<int>();
        while (true)
        {
            foreach (var partition in releasing)
            {
                await QueryFlagAsync(connection, "SELECT pg_advisory_unlock(@namespace, @key);", partition, stoppingToken);
            }

            releasing = await RebalanceAsync(connection, stoppingToken);
            // Npgsql reads a wait of 0 ms as "forever", so the last sliver of a round is not waited for.
            var until = time.GetUtcNow() + Round;
            for (var left = Round; left >= MinWait; left = until - time.GetUtcNow())
            {
                await connection.WaitAsync(left, stoppingToken);
                Deliver();
            }
        }
    }

    /// <summary>Takes a presence lock and listens; anything changed while not listening is compared afresh.</summary>
    private async Task JoinAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        while (!await QueryFlagAsync(
            connection, "SELECT pg_try_advisory_lock(@namespace, @key);",
            PostgresDatabase.NodeLockBase + Random.Shared.Next(PostgresDatabase.NodeLockBase), cancellationToken))
        {
            // Another node drew the same key; draw again.
        }

        // A node cut off by the network holds its session (and locks) until TCP gives up, which can take hours: the
        // server ends a session idle for 10 s instead, while a live node queries every second.
        await using var listen = new NpgsqlCommand(
            $"""
            SET idle_session_timeout = '10s';
            LISTEN {PostgresSubscriptionStore.ChangeChannel}; LISTEN {PostgresDiscoveryStore.ChangeChannel};
            LISTEN {PostgresSourceStore.ChangeChannel}; LISTEN {PostgresEventLog.AppendChannel};
            """,
            connection);
        await listen.ExecuteNonQueryAsync(cancellationToken);
        changes.ReloadAll();
    }

    /// <summary>
    /// Takes free partitions up to this node's fair share, or gives up what is above it. A partition given up stops
    /// being dispatched now and is unlocked at the next round, so its dispatcher has stopped before another node
    /// starts on it.
    /// </summary>
    private async Task<List<int>> RebalanceAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var locks = new NpgsqlCommand(
            """
            SELECT objid::bigint FROM pg_locks
            WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid = @namespace::bigint::oid
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database());
            """,
            connection);
        locks.Parameters.AddWithValue("namespace", PostgresDatabase.LockNamespace);
        var taken = new HashSet<int>();
        var nodes = 0;
        await using (var reader = await locks.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = reader.GetInt64(0);
                if (key < PostgresDatabase.PartitionCount)
                {
                    taken.Add((int)key);
                }
                else if (key is >= PostgresDatabase.NodeLockBase and < 2 * PostgresDatabase.NodeLockBase)
                {
                    nodes++;
                }
            }
        }

        var share = (PostgresDatabase.PartitionCount + Math.Max(nodes, 1) - 1) / Math.Max(nodes, 1);
        var owned = Owned.ToHashSet();
        var released = owned.Order().Skip(share).ToList();
        owned.ExceptWith(released);
        foreach (var free in Enumerable.Range(0, PostgresDatabase.PartitionCount).Where(p => !taken.Contains(p)).OrderBy(_ => Random.Shared.Next()))
        {
            if (owned.Count >= share)
            {
                break;
            }

            if (await QueryFlagAsync(connection, "SELECT pg_try_advisory_lock(@namespace, @key);", free, cancellationToken))
            {
                owned.Add(free);
            }
        }

        if (!owned.SetEquals(Owned))
        {
            Log.Owned(logger, nodes, string.Join(',', owned.Order()));
            Publish(owned.ToFrozenSet());
        }

        return released;
    }

    private static async Task<bool> QueryFlagAsync(NpgsqlConnection connection, string sql, int key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("namespace", PostgresDatabase.LockNamespace);
        command.Parameters.AddWithValue("key", key);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>Hands the notifications received to those waiting for them.</summary>
    private void Deliver()
    {
        while (_notifications.TryDequeue(out var notification))
        {
            if (notification.Channel == PostgresSubscriptionStore.ChangeChannel)
            {
                changes.SubscriptionChanged(notification.Payload);
            }
            else if (notification.Channel == PostgresDiscoveryStore.ChangeChannel)
            {
                changes.ServicesChanged();
            }
            else if (notification.Channel == PostgresSourceStore.ChangeChannel)
            {
                changes.SourceChanged(notification.Payload);
            }
            else if (int.TryParse(notification.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var partition) && partition is >= 0 and < PostgresDatabase.PartitionCount)
            {
                appends.Signal(partition);
            }
        }
    }

    private void Publish(FrozenSet<int> owned)
    {
        Volatile.Write(ref _owned, owned);
        _changed.Writer.TryWrite(true);
    }

    private static partial class Log
    {
        [LoggerMessage(50, LogLevel.Warning, "Lost the connection that holds this node's partitions; joining again")]
        public static partial void Lost(ILogger logger, Exception exception);

        [LoggerMessage(51, LogLevel.Information, "{Nodes} live nodes; this node dispatches partitions {Partitions}")]
        public static partial void Owned(ILogger logger, int nodes, string partitions);
    }
}
