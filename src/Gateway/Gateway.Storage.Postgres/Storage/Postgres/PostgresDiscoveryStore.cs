using System.Text.Json.Nodes;
using Gateway.Storage.Postgres.Documents;
using JasperFx;
using Marten;
using Marten.Patching;

namespace Gateway.Storage.Postgres;

/// <summary>Discovery data as Marten documents: registered services, the gateway's own entry, the event types seen.</summary>
internal sealed class PostgresDiscoveryStore(PostgresDatabase database) : IDiscoveryStore
{
    /// <summary>The <c>LISTEN/NOTIFY</c> channel that tells the other nodes the registered services changed.</summary>
    public const string ChangeChannel = "gateway_services";

    public async Task<DiscoveryState> LoadAsync(CancellationToken cancellationToken)
    {
        var self = await LoadOrCreateSelfAsync(cancellationToken);
        await using var session = database.Documents.QuerySession();
        var services = await session.Query<ServiceDocument>().OrderBy(service => service.Id).ToListAsync(cancellationToken);
        var events = await session.Query<KnownEventType>().ToListAsync(cancellationToken);
        return new DiscoveryState(self.ServiceId, self.Epoch, [.. services.Select(service => service.Service)], events);
    }

    public async Task SaveServicesAsync(IReadOnlyList<JsonObject> upserts, IReadOnlyList<string> deletes, CancellationToken cancellationToken)
    {
        await using var session = database.Documents.LightweightSession();
        foreach (var service in upserts)
        {
            session.Store(new ServiceDocument { Id = service["id"]!.GetValue<string>(), Service = service });
        }

        foreach (var id in deletes)
        {
            session.Delete<ServiceDocument>(id);
        }

        // §9.1: one transaction, all or none.
        await session.SaveAndNotifyAsync(ChangeChannel, string.Empty, cancellationToken);
    }

    public async Task SaveSelfAsync(long epoch, IReadOnlyList<KnownEventType> events, CancellationToken cancellationToken)
    {
        await using var session = database.Documents.LightweightSession();
        // Several nodes save their own epochs; the condition is checked by the update itself, so it never goes back.
        session.Patch<DiscoverySelfDocument>(self => self.Epoch < epoch).Set(self => self.Epoch, epoch);
        session.DeleteWhere<KnownEventType>(_ => true);
        if (events.Count > 0)
        {
            session.Store([.. events]);
        }

        await session.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The gateway's own entry; the first node to start creates it, so its id stays across restarts.</summary>
    private async Task<DiscoverySelfDocument> LoadOrCreateSelfAsync(CancellationToken cancellationToken)
    {
        await using var session = database.Documents.LightweightSession();
        if (await session.LoadAsync<DiscoverySelfDocument>(DiscoverySelfDocument.SingletonId, cancellationToken) is { } stored)
        {
            return stored;
        }

        var created = new DiscoverySelfDocument { ServiceId = Guid.NewGuid().ToString(), Epoch = 1 };
        session.Insert(created);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
            return created;
        }
        catch (DocumentAlreadyExistsException)
        {
            // Another node created it first.
            await using var query = database.Documents.QuerySession();
            return await query.LoadAsync<DiscoverySelfDocument>(DiscoverySelfDocument.SingletonId, cancellationToken)
                ?? throw new InvalidOperationException("The gateway's own Discovery entry was created and is gone.");
        }
    }
}
