using System.Data.Common;
using Gateway.Protocols.CloudEvents.Json;

namespace Gateway.Storage;

/// <summary>
/// Reads the rows both stores keep in the same columns, in the same order, so the embedded and the PostgreSQL store
/// turn them into the same records (times are Unix milliseconds in both).
/// </summary>
internal static class StoredRows
{
    /// <summary>Columns: id, event, attempts, first_attempt, due, last_code, last_reason.</summary>
    public static RetryEntry Retry(DbDataReader reader, string subscriptionId) => new(
        reader.GetInt64(0),
        subscriptionId,
        JsonEventFormat.Parse(reader.GetFieldValue<byte[]>(1)),
        reader.GetInt32(2),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
        reader.IsDBNull(5) ? null : reader.GetInt32(5),
        NullableString(reader, 6));

    /// <summary>Columns: event, reason, code, attempts, time, error.</summary>
    public static DeadLetter DeadLetter(DbDataReader reader, string subscriptionId) => new(
        subscriptionId,
        JsonEventFormat.Parse(reader.GetFieldValue<byte[]>(0)),
        reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetInt32(2),
        reader.GetInt32(3),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
        NullableString(reader, 5));

    /// <summary>Columns: type, datacontenttype, dataschema, last_seen.</summary>
    public static KnownEventType KnownEventType(DbDataReader reader) =>
        new(reader.GetString(0), NullableString(reader, 1), NullableString(reader, 2), reader.GetInt64(3));

    /// <summary>Columns: id, document, state.</summary>
    public static StoredSource Source(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), NullableString(reader, 2));

    /// <summary>Every row of a query, read by <paramref name="read"/>.</summary>
    public static async Task<List<T>> ReadAllAsync<T>(DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        var result = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(read(reader));
        }

        return result;
    }

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
