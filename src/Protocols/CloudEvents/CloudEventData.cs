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
}
