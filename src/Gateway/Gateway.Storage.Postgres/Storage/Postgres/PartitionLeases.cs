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
    PostgresDatabase database, string nodeName, AppendSignals appends, StoreChanges changes, TimeProvider time,
    ILogger<PartitionLeases> logger)
    : BackgroundService, ILogPartitions
{
    private static readonly TimeSpan Round = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MinWait = TimeSpan.FromMilliseconds(10);

    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FrozenSet<int> _owned = FrozenSet<int>.Empty;

    public IReadOnlyCollection<int> Owned => Volatile.Read(ref _owned);

    public bool Owns(string key) => Owned.Contains(PartitionOf(key));

    public async Task WaitForChangeAsync(CancellationToken cancellationToken) =>
        await _changed.Reader.ReadAsync(cancellationToken);

    /// <summary>
    /// The <c>application_name</c> of a node's lease session, so an operator (or a test) can tell it in
    /// <c>pg_stat_activity</c>.
    /// </summary>
    internal static string LeaseSessionName(string nodeName) => $"gateway-leases {nodeName}";

    /// <summary>
    /// Starts leasing and returns once this node listens for other nodes' changes: the hosted services after this
    /// one load subscriptions and serve requests, and a change another node makes after that load must not go
    /// unheard.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await base.StartAsync(cancellationToken);
        await _listening.Task.WaitAsync(cancellationToken);
    }

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
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            Pooling = false, KeepAlive = 5, ApplicationName = LeaseSessionName(nodeName),
        };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        // Handed on as it arrives, whichever command is reading: a notice read during a lease query used to wait for
        // the end of the round, up to a second late. Every hand-off is a non-blocking channel write.
        connection.Notification += (_, e) => Deliver(e.Channel, e.Payload);
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
            }
        }
    }

    /// <summary>
    /// Takes a presence lock and listens. On a rejoin, anything changed while not listening is compared afresh; on
    /// the first join nothing has been loaded yet, so there is nothing to compare.
    /// </summary>
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
        if (!_listening.TrySetResult())
        {
            changes.ReloadAll();
        }
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

    /// <summary>Hands a notification to those waiting for it.</summary>
    private void Deliver(string channel, string payload)
    {
        if (channel == PostgresSubscriptionStore.ChangeChannel)
        {
            changes.SubscriptionChanged(payload);
        }
        else if (channel == PostgresDiscoveryStore.ChangeChannel)
        {
            changes.ServicesChanged();
        }
        else if (channel == PostgresSourceStore.ChangeChannel)
        {
            changes.SourceChanged(payload);
        }
        else if (int.TryParse(payload, NumberStyles.None, CultureInfo.InvariantCulture, out var partition) && partition is >= 0 and < PostgresDatabase.PartitionCount)
        {
            appends.Signal(partition);
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
