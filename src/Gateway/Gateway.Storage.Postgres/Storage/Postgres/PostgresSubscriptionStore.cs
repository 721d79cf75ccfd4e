using System.Text.Json;
using Gateway.Storage.Postgres.Documents;
using Gateway.Storage.Secrets;
using Gateway.Subscriptions;
using Marten;
using Marten.Patching;

namespace Gateway.Storage.Postgres;

/// <summary>
/// Subscriptions as Marten documents. Every change also notifies <see cref="ChangeChannel"/> in the same
/// transaction, so the other nodes reload the subscription within a second of the answer (design.md).
/// </summary>
internal sealed class PostgresSubscriptionStore(PostgresDatabase database, StoredSecrets secrets) : ISubscriptionStore
{
    /// <summary>The <c>LISTEN/NOTIFY</c> channel; the payload is the subscription's id.</summary>
    public const string ChangeChannel = "gateway_subscriptions";

    public async Task<IReadOnlyList<StoredSubscription>> ListAsync(CancellationToken cancellationToken)
    {
        await using var session = database.Documents.QuerySession();
        var documents = await session.Query<SubscriptionDocument>().OrderBy(document => document.Order).ToListAsync(cancellationToken);
        return [.. documents.Select(ToStored)];
    }

    public async Task<StoredSubscription?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var session = database.Documents.QuerySession();
        return await session.LoadAsync<SubscriptionDocument>(id, cancellationToken) is { } document ? ToStored(document) : null;
    }

    public async Task AddAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        await using var session = database.Documents.LightweightSession();
        session.Insert(new SubscriptionDocument
        {
            Id = subscription.Id,
            Subscription = Sealed(subscription),
            StateChanged = DateTimeOffset.UtcNow,
            Order = await session.NextOrderAsync(cancellationToken),
        });
        await session.SaveAndNotifyAsync(ChangeChannel, subscription.Id, cancellationToken);
    }

    public async Task<bool> ReplaceAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        await using var session = database.Documents.LightweightSession();
        if (!await ExistsAsync(session, subscription.Id, cancellationToken))
        {
            return false;
        }

        // A patch, not a whole new document: a pause set meanwhile by another call must survive the replace.
        session.Patch<SubscriptionDocument>(subscription.Id)
            .Set(document => document.Subscription, Sealed(subscription))
            .Set(document => document.DisabledReason, null)
            .Set(document => document.StateChanged, DateTimeOffset.UtcNow);
        await session.SaveAndNotifyAsync(ChangeChannel, subscription.Id, cancellationToken);
        return true;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var session = database.Documents.LightweightSession();
        if (!await ExistsAsync(session, id, cancellationToken))
        {
            return false;
        }

        session.Delete<SubscriptionDocument>(id);
        await session.SaveAndNotifyAsync(ChangeChannel, id, cancellationToken);
        return true;
    }

    public async Task DisableAsync(string id, string reason, CancellationToken cancellationToken)
    {
        await using var session = database.Documents.LightweightSession();
        session.Patch<SubscriptionDocument>(id)
            .Set(document => document.DisabledReason, reason)
            .Set(document => document.StateChanged, DateTimeOffset.UtcNow);
        await session.SaveAndNotifyAsync(ChangeChannel, id, cancellationToken);
    }

    public async Task SetPausedAsync(string id, bool paused, CancellationToken cancellationToken)
    {
        await using var session = database.Documents.LightweightSession();
        session.Patch<SubscriptionDocument>(id)
            .Set(document => document.Paused, paused)
            .Set(document => document.StateChanged, DateTimeOffset.UtcNow);
        await session.SaveAndNotifyAsync(ChangeChannel, id, cancellationToken);
    }

    /// <summary>
    /// Whether the subscription is there before a replace or delete. Marten does not count the rows a patch or a
    /// delete touched; a delete racing this check makes both calls succeed, as if one came just after the other.
    /// </summary>
    private static Task<bool> ExistsAsync(IDocumentSession session, string id, CancellationToken cancellationToken) =>
        session.Query<SubscriptionDocument>().AnyAsync(document => document.Id == id, cancellationToken);

    /// <summary>The stored form of a subscription, its credentials sealed (<see cref="StoredSecrets"/>).</summary>
    private JsonElement Sealed(Subscription subscription) => GatewayDocuments.Element(secrets.Seal(SubscriptionJson.ToStored(subscription)));

    private StoredSubscription ToStored(SubscriptionDocument document) => new(
        SubscriptionJson.FromStored(secrets.Open(document.Subscription.GetRawText())),
        document.DisabledReason,
        document.Paused,
        document.StateChanged);
}
