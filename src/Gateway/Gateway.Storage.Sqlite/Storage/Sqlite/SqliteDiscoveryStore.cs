using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite;

/// <summary>Discovery data in SQLite, next to the subscriptions.</summary>
internal sealed class SqliteDiscoveryStore(SqliteDatabase database) : IDiscoveryStore
{
    public async Task<DiscoveryState> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO discovery_self (singleton, id, epoch) VALUES (1, $id, 1) ON CONFLICT (singleton) DO NOTHING;
            SELECT id, epoch FROM discovery_self;
            """;
        command.Parameters.AddWithValue("$id", Guid.NewGuid().ToString());
        string selfId;
        long epoch;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (selfId, epoch) = (reader.GetString(0), reader.GetInt64(1));
        }

        command.Parameters.Clear();
        command.CommandText = "SELECT document FROM services ORDER BY id;";
        var services = new List<JsonObject>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                services.Add(JsonNode.Parse(reader.GetString(0))!.AsObject());
            }
        }

        command.CommandText = "SELECT type, datacontenttype, dataschema, last_seen FROM known_event_types;";
        var events = new List<KnownEventType>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                events.Add(StoredRows.KnownEventType(reader));
            }
        }

        return new DiscoveryState(selfId, epoch, services, events);
    }

    public async Task SaveServicesAsync(IReadOnlyList<JsonObject> upserts, IReadOnlyList<string> deletes, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO services (id, document) VALUES ($id, $document)
                ON CONFLICT (id) DO UPDATE SET document = excluded.document;
            """;
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var document = command.Parameters.Add("$document", SqliteType.Text);
        foreach (var service in upserts)
        {
            id.Value = service["id"]!.GetValue<string>();
            document.Value = service.ToJsonString();
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        command.CommandText = "DELETE FROM services WHERE id = $id;";
        command.Parameters.Remove(document);
        foreach (var deleted in deletes)
        {
            id.Value = deleted;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task SaveSelfAsync(long epoch, IReadOnlyList<KnownEventType> events, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE discovery_self SET epoch = $epoch; DELETE FROM known_event_types;";
        command.Parameters.AddWithValue("$epoch", epoch);
        await command.ExecuteNonQueryAsync(cancellationToken);
        command.Parameters.Clear();
        command.CommandText = """
            INSERT INTO known_event_types (type, datacontenttype, dataschema, last_seen) VALUES ($type, $ct, $schema, $seen);
            """;
        var type = command.Parameters.Add("$type", SqliteType.Text);
        var contentType = command.Parameters.Add("$ct", SqliteType.Text);
        var schema = command.Parameters.Add("$schema", SqliteType.Text);
        var seen = command.Parameters.Add("$seen", SqliteType.Integer);
        foreach (var known in events)
        {
            type.Value = known.Type;
            contentType.Value = (object?)known.DataContentType ?? DBNull.Value;
            schema.Value = (object?)known.DataSchema ?? DBNull.Value;
            seen.Value = known.LastSeen;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
