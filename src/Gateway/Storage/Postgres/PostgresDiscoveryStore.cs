using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Storage.Postgres;

/// <summary>Discovery data in PostgreSQL: registered services as <c>jsonb</c>, written with array parameters.</summary>
internal sealed class PostgresDiscoveryStore(PostgresDatabase database) : IDiscoveryStore
{
    /// <summary>The <c>LISTEN/NOTIFY</c> channel that tells the other nodes the registered services changed.</summary>
    public const string ChangeChannel = "gateway_services";

    public async Task<DiscoveryState> LoadAsync(CancellationToken cancellationToken)
    {
        await using var batch = database.DataSource.CreateBatch();
        var self = new NpgsqlBatchCommand("""
            INSERT INTO discovery_self (singleton, id, epoch) VALUES (1, @id, 1) ON CONFLICT (singleton) DO NOTHING;
            """);
        self.Parameters.AddWithValue("id", Guid.NewGuid().ToString());
        batch.BatchCommands.Add(self);
        batch.BatchCommands.Add(new("SELECT id, epoch FROM discovery_self;"));
        batch.BatchCommands.Add(new("SELECT document::text FROM services ORDER BY id;"));
        batch.BatchCommands.Add(new("SELECT type, datacontenttype, dataschema, last_seen FROM known_event_types;"));

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (selfId, epoch) = (reader.GetString(0), reader.GetInt64(1));

        await reader.NextResultAsync(cancellationToken);
        var services = new List<JsonObject>();
        while (await reader.ReadAsync(cancellationToken))
        {
            services.Add(JsonNode.Parse(reader.GetString(0))!.AsObject());
        }

        await reader.NextResultAsync(cancellationToken);
        var events = new List<KnownEventType>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(StoredRows.KnownEventType(reader));
        }

        return new DiscoveryState(selfId, epoch, services, events);
    }

    public async Task SaveServicesAsync(IReadOnlyList<JsonObject> upserts, IReadOnlyList<string> deletes, CancellationToken cancellationToken)
    {
        await using var batch = database.DataSource.CreateBatch();
        var upsert = new NpgsqlBatchCommand("""
            INSERT INTO services (id, document) SELECT * FROM unnest(@ids, @documents::jsonb[])
                ON CONFLICT (id) DO UPDATE SET document = excluded.document;
            """);
        upsert.Parameters.AddWithValue("ids", upserts.Select(s => s["id"]!.GetValue<string>()).ToArray());
        upsert.Parameters.AddWithValue("documents", NpgsqlDbType.Array | NpgsqlDbType.Text, upserts.Select(s => s.ToJsonString()).ToArray());
        batch.BatchCommands.Add(upsert);
        var delete = new NpgsqlBatchCommand("DELETE FROM services WHERE id = ANY(@deletes);");
        delete.Parameters.AddWithValue("deletes", deletes.ToArray());
        batch.BatchCommands.Add(delete);
        var notify = new NpgsqlBatchCommand("SELECT pg_notify(@channel, '');");
        notify.Parameters.AddWithValue("channel", ChangeChannel);
        batch.BatchCommands.Add(notify);

        // §9.1: one implicit transaction, all or none.
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task SaveSelfAsync(long epoch, IReadOnlyList<KnownEventType> events, CancellationToken cancellationToken)
    {
        await using var batch = database.DataSource.CreateBatch();
        // Several nodes save their own epochs; the stored one never goes back.
        var self = new NpgsqlBatchCommand("UPDATE discovery_self SET epoch = greatest(epoch, @epoch);");
        self.Parameters.AddWithValue("epoch", epoch);
        batch.BatchCommands.Add(self);
        batch.BatchCommands.Add(new("DELETE FROM known_event_types;"));
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO known_event_types (type, datacontenttype, dataschema, last_seen)
                SELECT * FROM unnest(@types, @contenttypes, @schemas, @seen);
            """);
        insert.Parameters.AddWithValue("types", events.Select(e => e.Type).ToArray());
        insert.Parameters.AddWithValue("contenttypes", NpgsqlDbType.Array | NpgsqlDbType.Text, events.Select(e => e.DataContentType).ToArray());
        insert.Parameters.AddWithValue("schemas", NpgsqlDbType.Array | NpgsqlDbType.Text, events.Select(e => e.DataSchema).ToArray());
        insert.Parameters.AddWithValue("seen", events.Select(e => e.LastSeen).ToArray());
        batch.BatchCommands.Add(insert);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
