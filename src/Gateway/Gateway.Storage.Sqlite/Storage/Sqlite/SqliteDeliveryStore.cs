using Gateway.Protocols.CloudEvents.Json;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite;

/// <summary>The retry store and dead letters in SQLite. Times are stored as Unix milliseconds.</summary>
internal sealed class SqliteDeliveryStore(SqliteDatabase database) : IDeliveryStore
{
    public async Task<long> AddRetryAsync(RetryEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO retries (subscription_id, event, attempts, first_attempt, due, last_code, last_reason)
            VALUES ($subscription, $event, $attempts, $first, $due, $code, $reason) RETURNING id;
            """;
        command.Parameters.AddWithValue("$subscription", entry.SubscriptionId);
        command.Parameters.AddWithValue("$event", JsonEventFormat.ToUtf8Bytes(entry.Event));
        command.Parameters.AddWithValue("$first", entry.FirstAttempt.ToUnixTimeMilliseconds());
        BindProgress(command, entry);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task UpdateRetryAsync(RetryEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE retries SET attempts = $attempts, due = $due, last_code = $code, last_reason = $reason WHERE id = $id;
            """;
        command.Parameters.AddWithValue("$id", entry.Id);
        BindProgress(command, entry);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task AddRetriesAsync(IReadOnlyList<RetryEntry> entries, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO retries (subscription_id, event, attempts, first_attempt, due, last_code, last_reason)
            VALUES ($subscription, $event, $attempts, $first, $due, $code, $reason);
            """;
        foreach (var entry in entries)
        {
            command.Parameters.Clear();
            command.Parameters.AddWithValue("$subscription", entry.SubscriptionId);
            command.Parameters.AddWithValue("$event", JsonEventFormat.ToUtf8Bytes(entry.Event));
            command.Parameters.AddWithValue("$first", entry.FirstAttempt.ToUnixTimeMilliseconds());
            BindProgress(command, entry);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task RemoveRetriesAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM retries WHERE id = $id;";
        var parameter = command.Parameters.Add("$id", SqliteType.Integer);
        foreach (var id in ids)
        {
            parameter.Value = id;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<RetryEntry>> DueRetriesAsync(
        string subscriptionId, DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, event, attempts, first_attempt, due, last_code, last_reason FROM retries
            WHERE subscription_id = $subscription AND due <= $now ORDER BY due, id LIMIT $max;
            """;
        command.Parameters.AddWithValue("$subscription", subscriptionId);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$max", max);
        return await StoredRows.ReadAllAsync(command, reader => StoredRows.Retry(reader, subscriptionId), cancellationToken);
    }

    public async Task<DateTimeOffset?> NextDueAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(due) FROM retries WHERE subscription_id = $subscription;";
        command.Parameters.AddWithValue("$subscription", subscriptionId);
        return await command.ExecuteScalarAsync(cancellationToken) is long due
            ? DateTimeOffset.FromUnixTimeMilliseconds(due)
            : null;
    }

    public async Task<(long Count, DateTimeOffset? Oldest)> BacklogAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), MIN(first_attempt) FROM retries WHERE subscription_id = $subscription;";
        command.Parameters.AddWithValue("$subscription", subscriptionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.IsDBNull(1) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)));
    }

    public async Task AddDeadLetterAsync(DeadLetter deadLetter, long? fromRetry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO deadletters (subscription_id, event, reason, code, attempts, time, error)
            VALUES ($subscription, $event, $reason, $code, $attempts, $time, $error);
            DELETE FROM retries WHERE id = $retry;
            """;
        command.Parameters.AddWithValue("$subscription", deadLetter.SubscriptionId);
        command.Parameters.AddWithValue("$event", JsonEventFormat.ToUtf8Bytes(deadLetter.Event));
        command.Parameters.AddWithValue("$reason", deadLetter.Reason);
        command.Parameters.AddWithValue("$code", (object?)deadLetter.Code ?? DBNull.Value);
        command.Parameters.AddWithValue("$attempts", deadLetter.Attempts);
        command.Parameters.AddWithValue("$time", deadLetter.Time.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$error", (object?)deadLetter.Error ?? DBNull.Value);
        command.Parameters.AddWithValue("$retry", (object?)fromRetry ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT event, reason, code, attempts, time, error FROM deadletters
            WHERE subscription_id = $subscription ORDER BY id;
            """;
        command.Parameters.AddWithValue("$subscription", subscriptionId);
        return await StoredRows.ReadAllAsync(command, reader => StoredRows.DeadLetter(reader, subscriptionId), cancellationToken);
    }

    public async Task<int> RedriveAsync(string subscriptionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO retries (subscription_id, event, attempts, first_attempt, due)
                SELECT subscription_id, event, 0, $now, $now FROM deadletters WHERE subscription_id = $subscription ORDER BY id;
            """;
        command.Parameters.AddWithValue("$subscription", subscriptionId);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        var moved = await command.ExecuteNonQueryAsync(cancellationToken);
        command.CommandText = "DELETE FROM deadletters WHERE subscription_id = $subscription;";
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return moved;
    }

    public async Task DeleteSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM retries WHERE subscription_id = $subscription;
            DELETE FROM deadletters WHERE subscription_id = $subscription;
            """;
        command.Parameters.AddWithValue("$subscription", subscriptionId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void BindProgress(SqliteCommand command, RetryEntry entry)
    {
        command.Parameters.AddWithValue("$attempts", entry.Attempts);
        command.Parameters.AddWithValue("$due", entry.Due.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$code", (object?)entry.LastCode ?? DBNull.Value);
        command.Parameters.AddWithValue("$reason", (object?)entry.LastReason ?? DBNull.Value);
    }
}
