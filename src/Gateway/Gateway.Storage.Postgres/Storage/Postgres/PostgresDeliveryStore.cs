using Gateway.Protocols.CloudEvents.Json;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Storage.Postgres;

/// <summary>The retry store and dead letters in PostgreSQL; times are Unix milliseconds.</summary>
internal sealed class PostgresDeliveryStore(PostgresDatabase database) : IDeliveryStore
{
    public async Task<long> AddRetryAsync(RetryEntry entry, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("""
            INSERT INTO retries (subscription_id, event, attempts, first_attempt, due, last_code, last_reason)
            VALUES (@subscription, @event, @attempts, @first, @due, @code, @reason) RETURNING id;
            """);
        command.Parameters.AddWithValue("subscription", entry.SubscriptionId);
        command.Parameters.AddWithValue("event", JsonEventFormat.ToUtf8Bytes(entry.Event));
        command.Parameters.AddWithValue("first", entry.FirstAttempt.ToUnixTimeMilliseconds());
        BindProgress(command, entry);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task UpdateRetryAsync(RetryEntry entry, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            "UPDATE retries SET attempts = @attempts, due = @due, last_code = @code, last_reason = @reason WHERE id = @id;");
        command.Parameters.AddWithValue("id", entry.Id);
        BindProgress(command, entry);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task AddRetriesAsync(IReadOnlyList<RetryEntry> entries, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("""
            INSERT INTO retries (subscription_id, event, attempts, first_attempt, due, last_code, last_reason)
                SELECT * FROM unnest(@subscriptions, @events, @attempts, @first, @due, @codes, @reasons);
            """);
        command.Parameters.AddWithValue("subscriptions", entries.Select(e => e.SubscriptionId).ToArray());
        command.Parameters.AddWithValue("events", entries.Select(e => JsonEventFormat.ToUtf8Bytes(e.Event)).ToArray());
        command.Parameters.AddWithValue("attempts", entries.Select(e => e.Attempts).ToArray());
        command.Parameters.AddWithValue("first", entries.Select(e => e.FirstAttempt.ToUnixTimeMilliseconds()).ToArray());
        command.Parameters.AddWithValue("due", entries.Select(e => e.Due.ToUnixTimeMilliseconds()).ToArray());
        command.Parameters.AddWithValue("codes", NpgsqlDbType.Array | NpgsqlDbType.Integer, entries.Select(e => e.LastCode).ToArray());
        command.Parameters.AddWithValue("reasons", NpgsqlDbType.Array | NpgsqlDbType.Text, entries.Select(e => e.LastReason).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RemoveRetriesAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("DELETE FROM retries WHERE id = ANY(@ids);");
        command.Parameters.AddWithValue("ids", ids.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<RetryEntry>> DueRetriesAsync(
        string subscriptionId, DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("""
            SELECT id, event, attempts, first_attempt, due, last_code, last_reason FROM retries
            WHERE subscription_id = @subscription AND due <= @now ORDER BY due, id LIMIT @max;
            """);
        command.Parameters.AddWithValue("subscription", subscriptionId);
        command.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("max", max);
        return await StoredRows.ReadAllAsync(command, reader => StoredRows.Retry(reader, subscriptionId), cancellationToken);
    }

    public async Task<DateTimeOffset?> NextDueAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("SELECT min(due) FROM retries WHERE subscription_id = @subscription;");
        command.Parameters.AddWithValue("subscription", subscriptionId);
        return await command.ExecuteScalarAsync(cancellationToken) is long due ? DateTimeOffset.FromUnixTimeMilliseconds(due) : null;
    }

    public async Task<(long Count, DateTimeOffset? Oldest)> BacklogAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT count(*), min(first_attempt) FROM retries WHERE subscription_id = @subscription;");
        command.Parameters.AddWithValue("subscription", subscriptionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.IsDBNull(1) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)));
    }

    public async Task AddDeadLetterAsync(DeadLetter deadLetter, long? fromRetry, CancellationToken cancellationToken)
    {
        await using var batch = database.DataSource.CreateBatch();
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO deadletters (subscription_id, event, reason, code, attempts, time, error)
            VALUES (@subscription, @event, @reason, @code, @attempts, @time, @error);
            """);
        insert.Parameters.AddWithValue("subscription", deadLetter.SubscriptionId);
        insert.Parameters.AddWithValue("event", JsonEventFormat.ToUtf8Bytes(deadLetter.Event));
        insert.Parameters.AddWithValue("reason", deadLetter.Reason);
        insert.Parameters.AddWithValue("code", (object?)deadLetter.Code ?? DBNull.Value);
        insert.Parameters.AddWithValue("attempts", deadLetter.Attempts);
        insert.Parameters.AddWithValue("time", deadLetter.Time.ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("error", (object?)deadLetter.Error ?? DBNull.Value);
        batch.BatchCommands.Add(insert);
        if (fromRetry is { } retry)
        {
            var delete = new NpgsqlBatchCommand("DELETE FROM retries WHERE id = @retry;");
            delete.Parameters.AddWithValue("retry", retry);
            batch.BatchCommands.Add(delete);
        }

        // A batch runs in one implicit transaction: the dead letter and the removal of its retry land together.
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("""
            SELECT event, reason, code, attempts, time, error FROM deadletters
            WHERE subscription_id = @subscription ORDER BY id;
            """);
        command.Parameters.AddWithValue("subscription", subscriptionId);
        return await StoredRows.ReadAllAsync(command, reader => StoredRows.DeadLetter(reader, subscriptionId), cancellationToken);
    }

    public async Task<int> RedriveAsync(string subscriptionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // One statement moves and deletes together; the order of the dead letters is kept in the new retry ids.
        await using var command = database.DataSource.CreateCommand("""
            WITH moved AS (DELETE FROM deadletters WHERE subscription_id = @subscription RETURNING id, subscription_id, event)
            INSERT INTO retries (subscription_id, event, attempts, first_attempt, due)
                SELECT subscription_id, event, 0, @now, @now FROM moved ORDER BY id;
            """);
        command.Parameters.AddWithValue("subscription", subscriptionId);
        command.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task DeleteSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        await using var batch = database.DataSource.CreateBatch();
        foreach (var table in (string[])["retries", "deadletters"])
        {
            var delete = new NpgsqlBatchCommand($"DELETE FROM {table} WHERE subscription_id = @subscription;");
            delete.Parameters.AddWithValue("subscription", subscriptionId);
            batch.BatchCommands.Add(delete);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void BindProgress(NpgsqlCommand command, RetryEntry entry)
    {
        command.Parameters.AddWithValue("attempts", entry.Attempts);
        command.Parameters.AddWithValue("due", entry.Due.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("code", (object?)entry.LastCode ?? DBNull.Value);
        command.Parameters.AddWithValue("reason", (object?)entry.LastReason ?? DBNull.Value);
    }
}
