using Gateway.Subscriptions;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite;

/// <summary>Subscriptions as JSON documents in SQLite.</summary>
internal sealed class SqliteSubscriptionStore(SqliteDatabase database) : ISubscriptionStore
{
    public async Task<IReadOnlyList<StoredSubscription>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT document, disabled_reason FROM subscriptions ORDER BY created_at, id;";
        var result = new List<StoredSubscription>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new(SubscriptionJson.FromStored(reader.GetString(0)), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        return result;
    }

    public async Task AddAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO subscriptions (id, document, created_at, updated_at) VALUES ($id, $doc, $now, $now);";
        Bind(command, subscription);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> ReplaceAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE subscriptions SET document = $doc, updated_at = $now, disabled_reason = NULL WHERE id = $id;";
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
        command.CommandText = "UPDATE subscriptions SET disabled_reason = $reason WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$reason", reason);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Bind(SqliteCommand command, Subscription subscription)
    {
        command.Parameters.AddWithValue("$id", subscription.Id);
        command.Parameters.AddWithValue("$doc", SubscriptionJson.ToStored(subscription));
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToString("O"));
    }
}
