using Gateway.Storage.Postgres.Documents;
using JasperFx;
using Marten;
using Marten.Patching;

namespace Gateway.Storage.Postgres;

/// <summary>
/// Sources as Marten documents. Adding and deleting notify <see cref="ChangeChannel"/> in the same transaction, so
/// every node starts or stops the source.
/// </summary>
internal sealed class PostgresSourceStore(PostgresDatabase database) : ISourceStore
{
    /// <summary>The <c>LISTEN/NOTIFY</c> channel; the payload is the source's id.</summary>
    public const string ChangeChannel = "gateway_sources";

    public async Task<IReadOnlyList<StoredSource>> ListAsync(CancellationToken cancellationToken)
    {
        await using var session = database.Documents.QuerySession();
        var documents = await session.Query<SourceDocument>().OrderBy(document => document.Order).ToListAsync(cancellationToken);
        return [.. documents.Select(ToStored)];
    }

    public async Task<StoredSource?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var session = database.Documents.QuerySession();
        return await session.LoadAsync<SourceDocument>(id, cancellationToken) is { } document ? ToStored(document) : null;
    }

    public async Task<bool> AddAsync(string id, string document, CancellationToken cancellationToken)
    {
        await using var session = database.Documents.LightweightSession();
        session.Insert(new SourceDocument
        {
            Id = id,
            Source = GatewayDocuments.Element(document),
            Order = await session.NextOrderAsync(cancellationToken),
        });
        try
        {
            await session.SaveAndNotifyAsync(ChangeChannel, id, cancellationToken);
            return true;
        }
        catch (DocumentAlreadyExistsException)
        {
            return false;
        }
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var session = database.Documents.LightweightSession();
        if (!await session.Query<SourceDocument>().AnyAsync(source => source.Id == id, cancellationToken))
        {
            return false;
        }

        session.Delete<SourceDocument>(id);
        await session.SaveAndNotifyAsync(ChangeChannel, id, cancellationToken);
        return true;
    }

    public async Task SaveStateAsync(string id, string state, CancellationToken cancellationToken)
    {
        // A patch changes a stored source only: a run that ends after its source was deleted must not bring it back.
        await using var session = database.Documents.LightweightSession();
        session.Patch<SourceDocument>(id).Set(source => source.State, state);
        await session.SaveChangesAsync(cancellationToken);
    }

    private static StoredSource ToStored(SourceDocument document) => new(document.Id, document.Source.GetRawText(), document.State);
}
