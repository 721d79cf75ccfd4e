using System.Data.Common;
using System.Text.Json.Nodes;
using Marten;
using MartenSessionOptions = Marten.Services.SessionOptions;
using Npgsql;

namespace Gateway.Storage.Postgres.Documents;

/// <summary>
/// Moves the documents of a database written before Marten (schema versions 1 and 2: plain <c>jsonb</c> tables) into
/// Marten's, inside the migration's transaction, so an upgraded deployment keeps every subscription, source and
/// registered service, in the order they were added. The migration that follows drops the old tables.
/// </summary>
internal static class LegacyDocumentImport
{
    public static async Task ImportAsync(IDocumentStore documents, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        var subscriptions = await ReadAsync(
            connection,
            "SELECT id, document::text, disabled_reason, paused, state_changed FROM subscriptions ORDER BY added;",
            reader => new LegacySubscription(
                reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetBoolean(3), reader.GetInt64(4)),
            cancellationToken);
        var sources = await ReadAsync(connection, "SELECT id, document::text, state FROM sources ORDER BY added;", StoredRows.Source, cancellationToken);
        var services = await ReadAsync(connection, "SELECT document::text FROM services;", Service, cancellationToken);
        var self = await ReadAsync(connection, "SELECT id, epoch FROM discovery_self;", Self, cancellationToken);
        var types = await ReadAsync(
            connection, "SELECT type, datacontenttype, dataschema, last_seen FROM known_event_types;", StoredRows.KnownEventType, cancellationToken);

        await using var session = documents.LightweightSession(MartenSessionOptions.ForTransaction(transaction));
        foreach (var subscription in subscriptions)
        {
            session.Insert(new SubscriptionDocument
            {
                Id = subscription.Id,
                Subscription = GatewayDocuments.Element(subscription.Document),
                DisabledReason = subscription.DisabledReason,
                Paused = subscription.Paused,
                StateChanged = DateTimeOffset.FromUnixTimeMilliseconds(subscription.StateChanged),
                Order = await session.NextOrderAsync(cancellationToken),
            });
        }

        foreach (var source in sources)
        {
            session.Insert(new SourceDocument
            {
                Id = source.Id,
                Source = GatewayDocuments.Element(source.Document),
                State = source.State,
                Order = await session.NextOrderAsync(cancellationToken),
            });
        }

        session.Insert([.. services]);
        session.Insert([.. self]);
        session.Insert([.. types]);
        await session.SaveChangesAsync(cancellationToken);
    }

    private static ServiceDocument Service(DbDataReader reader)
    {
        var service = JsonNode.Parse(reader.GetString(0))!.AsObject();
        return new ServiceDocument { Id = service["id"]!.GetValue<string>(), Service = service };
    }

    private static DiscoverySelfDocument Self(DbDataReader reader) => new() { ServiceId = reader.GetString(0), Epoch = reader.GetInt64(1) };

    private static async Task<List<T>> ReadAsync<T>(
        NpgsqlConnection connection, string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await StoredRows.ReadAllAsync(command, read, cancellationToken);
    }

    /// <summary>A row of the old <c>subscriptions</c> table; times are Unix milliseconds.</summary>
    private sealed record LegacySubscription(string Id, string Document, string? DisabledReason, bool Paused, long StateChanged);
}
