using Gateway.Storage.Secrets;
using Gateway.Subscriptions;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite;

/// <summary>Subscriptions as JSON documents in SQLite.</summary>
internal sealed class SqliteSubscriptionStore(SqliteDatabase database, StoredSecrets secrets) : ISubscriptionStore
{
    private const string SelectStored = "SELECT document, disabled_reason, paused, state_changed, created_at FROM subscriptions";

    public async Task<IReadOnlyList<StoredSubscription>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"{SelectStored} ORDER BY rowid;";
        return await ReadStoredAsync(command, cancellationToken);
    }

    public async Task<StoredSubscription?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"{SelectStored} WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        return (await ReadStoredAsync(command, cancellationToken)) is [var found] ? found : null;
    }

    public async Task AddAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO subscriptions (id, document, created_at, updated_at, state_changed) VALUES ($id, $doc, $now, $now, $changed);";
        Bind(command, subscription);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> ReplaceAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE subscriptions SET document = $doc, updated_at = $now, disabled_reason = NULL, state_changed = $changed WHERE id = $id;";
        Bind(command, subscription);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM subscriptions WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task DisableAsync(string id, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE subscriptions SET disabled_reason = $reason, state_changed = $changed WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$reason", reason);
        command.Parameters.AddWithValue("$changed", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task SetPausedAsync(string id, bool paused, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE subscriptions SET paused = $paused, state_changed = $changed WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$paused", paused ? 1 : 0);
        command.Parameters.AddWithValue("$changed", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<List<StoredSubscription>> ReadStoredAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var result = new List<StoredSubscription>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new(
                SubscriptionJson.FromStored(secrets.Open(reader.GetString(0))),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.GetInt64(2) != 0,
                reader.IsDBNull(3)
                    ? DateTimeOffset.Parse(reader.GetString(4), System.Globalization.CultureInfo.InvariantCulture)
                    : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
        }

        return result;
    }

    private void Bind(SqliteCommand command, Subscription subscription)
    {
        command.Parameters.AddWithValue("$id", subscription.Id);
        command.Parameters.AddWithValue("$doc", secrets.Seal(SubscriptionJson.ToStored(subscription)));
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToString("O"));
        command.Parameters.AddWithValue("$changed", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }
}
