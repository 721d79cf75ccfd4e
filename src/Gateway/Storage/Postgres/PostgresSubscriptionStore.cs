using Gateway.Subscriptions;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Storage.Postgres;

/// <summary>
/// Subscriptions as <c>jsonb</c> documents. Every change also notifies <see cref="ChangeChannel"/> in the same
/// transaction, so the other nodes reload the subscription within a second of the answer (design.md).
/// </summary>
internal sealed class PostgresSubscriptionStore(PostgresDatabase database) : ISubscriptionStore
{
    /// <summary>The <c>LISTEN/NOTIFY</c> channel; the payload is the subscription's id.</summary>
    public const string ChangeChannel = "gateway_subscriptions";

    private const string SelectStored = "SELECT document::text, disabled_reason, paused, state_changed FROM subscriptions";

    public async Task<IReadOnlyList<StoredSubscription>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand($"{SelectStored} ORDER BY added;");
        return await ReadStoredAsync(command, cancellationToken);
    }

    public async Task<StoredSubscription?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand($"{SelectStored} WHERE id = @id;");
        command.Parameters.AddWithValue("id", id);
        return await ReadStoredAsync(command, cancellationToken) is [var found] ? found : null;
    }

    public async Task AddAsync(Subscription subscription, CancellationToken cancellationToken) =>
        await ChangeAsync(
            subscription.Id,
            "INSERT INTO subscriptions (id, document, created_at, state_changed) VALUES (@id, @document, @now, @now);",
            command => BindDocument(command, subscription),
            cancellationToken);

    public async Task<bool> ReplaceAsync(Subscription subscription, CancellationToken cancellationToken) =>
        await ChangeAsync(
            subscription.Id,
            "UPDATE subscriptions SET document = @document, disabled_reason = NULL, state_changed = @now WHERE id = @id;",
            command => BindDocument(command, subscription),
            cancellationToken) == 1;

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        await ChangeAsync(id, "DELETE FROM subscriptions WHERE id = @id;", _ => { }, cancellationToken) == 1;

    public async Task DisableAsync(string id, string reason, CancellationToken cancellationToken) =>
        await ChangeAsync(
            id,
            "UPDATE subscriptions SET disabled_reason = @reason, state_changed = @now WHERE id = @id;",
            command => command.Parameters.AddWithValue("reason", reason),
            cancellationToken);

    public async Task SetPausedAsync(string id, bool paused, CancellationToken cancellationToken) =>
        await ChangeAsync(
            id,
            "UPDATE subscriptions SET paused = @paused, state_changed = @now WHERE id = @id;",
            command => command.Parameters.AddWithValue("paused", paused),
            cancellationToken);

    /// <summary>Runs one change and its notification in one implicit transaction; returns the rows changed.</summary>
    private Task<int> ChangeAsync(string id, string sql, Action<NpgsqlBatchCommand> bind, CancellationToken cancellationToken) =>
        database.ChangeAndNotifyAsync(
            ChangeChannel,
            id,
            sql,
            command =>
            {
                command.Parameters.AddWithValue("now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                bind(command);
            },
            cancellationToken);

    private static void BindDocument(NpgsqlBatchCommand command, Subscription subscription) =>
        command.Parameters.AddWithValue("document", NpgsqlDbType.Jsonb, SubscriptionJson.ToStored(subscription));

    private static async Task<List<StoredSubscription>> ReadStoredAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var result = new List<StoredSubscription>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new(
                SubscriptionJson.FromStored(reader.GetString(0)),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.GetBoolean(2),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
        }

        return result;
    }
}
