using System.Text.Json;
using JasperFx;
using Marten;
using Npgsql;
using Weasel.Core;
using Weasel.Postgresql;

namespace Gateway.Storage.Postgres.Documents;

/// <summary>
/// The gateway's documents in PostgreSQL through Marten: subscriptions (OpenWhisk feed registrations are
/// subscriptions too), sources, registered services, the gateway's own Discovery entry and the event types it learned.
/// Marten owns their tables; the event log, retries, dead letters and checkpoints stay plain tables on Npgsql, since
/// they are written on every event in batches Marten does not express (see <see cref="PostgresEventLog"/>).
/// </summary>
internal static class GatewayDocuments
{
    /// <summary>Gives documents their place in the order of adding, across every node, as <c>bigserial</c> did.</summary>
    private static readonly Sequence OrderSequence = new("gateway_document_order");

    /// <summary>A document store on the gateway's own pool.</summary>
    public static DocumentStore Create(NpgsqlDataSource dataSource) => DocumentStore.For(options =>
    {
        options.Connection(dataSource);
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);

        // The schema changes only in PostgresDatabase.MigrateAsync, under the gateway's migration lock: Marten's
        // own apply is not safe when several nodes start at once (two create the same function and one fails).
        options.AutoCreateSchemaObjects = AutoCreate.None;
        options.Schema.For<SubscriptionDocument>().DocumentAlias("subscription");
        options.Schema.For<SourceDocument>().DocumentAlias("source");
        options.Schema.For<ServiceDocument>().DocumentAlias("service");
        options.Schema.For<DiscoverySelfDocument>().DocumentAlias("discovery_self");
        options.Schema.For<KnownEventType>().DocumentAlias("known_event_type").Identity(type => type.Type);
        options.Storage.ExtendedSchemaObjects.Add(OrderSequence);
    });

    /// <summary>The next place in the order of adding; one round trip, paid only by management calls that add.</summary>
    public static async Task<long> NextOrderAsync(this IDocumentSession session, CancellationToken cancellationToken)
    {
        var next = await session.QueryAsync<long>($"SELECT nextval('{OrderSequence.Identifier}')", cancellationToken);
        return next[0];
    }

    /// <summary>
    /// Saves the session's changes with a <c>NOTIFY</c> on <paramref name="channel"/> in the same transaction, so the
    /// other nodes hear of a change exactly when it commits (design.md: cross-node change notice).
    /// </summary>
    public static Task SaveAndNotifyAsync(this IDocumentSession session, string channel, string payload, CancellationToken cancellationToken)
    {
        session.QueueSqlCommand("SELECT pg_notify(?, ?);", channel, payload);
        return session.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Turns stored JSON text into the element a document holds.</summary>
    public static JsonElement Element(string json) => JsonElement.Parse(json);
}
