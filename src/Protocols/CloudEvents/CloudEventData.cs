using System.Text.Json;

namespace Gateway.Protocols.CloudEvents;

/// <summary>
/// The data of an event: its bytes, and whether those bytes are a JSON value. JSON data travels as a JSON value in
/// the JSON format (JSON-07); other data as a string (JSON-08) or as <c>data_base64</c> (JSON-06).
/// </summary>
public readonly record struct CloudEventData
{
    private CloudEventData(ReadOnlyMemory<byte> bytes, bool isJson, bool isPresent)
    {
        Bytes = bytes;
        IsJson = isJson;
        IsPresent = isPresent;
    }

    /// <summary>No data.</summary>
    public static CloudEventData None => default;

    /// <summary>True when the event has data (possibly zero bytes).</summary>
    public bool IsPresent { get; }

    /// <summary>True when <see cref="Bytes"/> hold one well-formed JSON value (UTF-8).</summary>
    public bool IsJson { get; }

    /// <summary>The data bytes: the JSON text for JSON data, the decoded bytes otherwise.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>Data that is a well-formed JSON value. The caller vouches for that.</summary>
    public static CloudEventData FromJson(ReadOnlyMemory<byte> utf8Json) => new(utf8Json, isJson: true, isPresent: true);

    /// <summary>Opaque data bytes.</summary>
    public static CloudEventData FromBytes(ReadOnlyMemory<byte> bytes) => new(bytes, isJson: false, isPresent: true);

    /// <summary>
    /// The body of a message in binary mode (or a payload that is not a CloudEvent): JSON data when the content type
    /// is JSON and the bytes are one JSON value, opaque bytes otherwise (JSON-07, JSON-08).
    /// </summary>
    public static CloudEventData FromPayload(ReadOnlyMemory<byte> body, string? contentType) =>
        contentType is not null && MediaTypes.IsJson(contentType) && IsOneJsonValue(body.Span) ? FromJson(body) : FromBytes(body);

    private static bool IsOneJsonValue(ReadOnlySpan<byte> body)
    {
        // Text whose strings cannot be read (not UTF-8, a lone surrogate) stays opaque bytes whatever the content
        // type claims, so that writing the event later never embeds it in a JSON document.
        if (Json.JsonText.FindFault(body) is not null)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            return reader.Read() && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
