using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Gateway.Protocols.CloudEvents.Json;

/// <summary>The JSON event format (§3): single events (JSON-01) and batches (JSON-14), read and written.</summary>
public static class JsonEventFormat
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // The output is a message body, never HTML: keep non-ASCII text and '+' readable instead of \u-escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Reads one event in the JSON format. Throws <see cref="CloudEventFormatException"/> listing every error.</summary>
    public static CloudEvent Parse(ReadOnlySpan<byte> utf8Json)
    {
        EnsureReadable(utf8Json);
        var errors = new List<CloudEventError>();
        var reader = new Utf8JsonReader(utf8Json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new CloudEventFormatException("$", "the body must be one JSON object: a CloudEvent in the JSON format");
            }

            var built = JsonEventReader.ReadEvent(ref reader, utf8Json, new CloudEventBuilder(errors));
            EnsureEnd(ref reader);
            return built ?? throw new CloudEventFormatException(errors);
        }
        catch (JsonException ex)
        {
            throw Malformed(ex);
        }
    }

    /// <summary>
    /// Reads a batch: a JSON array of events, all or nothing. Errors name the element (<c>[2].id</c>).
    /// </summary>
    public static IReadOnlyList<CloudEvent> ParseBatch(ReadOnlySpan<byte> utf8Json)
    {
        EnsureReadable(utf8Json);
        var errors = new List<CloudEventError>();
        var events = new List<CloudEvent>();
        var reader = new Utf8JsonReader(utf8Json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                throw new CloudEventFormatException("$", "a batch must be a JSON array of CloudEvents (JSON-14)");
            }

            for (var index = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; index++)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    errors.Add(new($"[{index}]", "every element of a batch must be a JSON object"));
                    reader.Skip();
                    continue;
                }

                var built = JsonEventReader.ReadEvent(ref reader, utf8Json, new CloudEventBuilder(errors, $"[{index}]."));
                if (built is not null)
                {
                    events.Add(built);
                }
            }

            EnsureEnd(ref reader);
        }
        catch (JsonException ex)
        {
            throw Malformed(ex);
        }

        // Every element is 1.0 or already an error, so CE-08 (one specversion per batch) holds here.
        return errors.Count == 0 ? events : throw new CloudEventFormatException(errors);
    }

    /// <summary>Writes one event in the JSON format.</summary>
    public static void Write(CloudEvent cloudEvent, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        Write(cloudEvent, writer);
    }

    /// <summary>Writes a batch (a JSON array).</summary>
    public static void WriteBatch(IEnumerable<CloudEvent> events, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartArray();
        foreach (var cloudEvent in events)
        {
            Write(cloudEvent, writer);
        }

        writer.WriteEndArray();
    }

    /// <summary>The event in the JSON format, as a new byte array.</summary>
    public static byte[] ToUtf8Bytes(CloudEvent cloudEvent)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + cloudEvent.Data.Bytes.Length);
        Write(cloudEvent, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes one event as a JSON object into <paramref name="writer"/>.</summary>
    public static void Write(CloudEvent cloudEvent, Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("specversion"u8, cloudEvent.SpecVersion);
        writer.WriteString("id"u8, cloudEvent.Id);
        writer.WriteString("source"u8, cloudEvent.Source);
        writer.WriteString("type"u8, cloudEvent.Type);
        WriteIfPresent(writer, "datacontenttype"u8, cloudEvent.DataContentType);
        WriteIfPresent(writer, "dataschema"u8, cloudEvent.DataSchema);
        WriteIfPresent(writer, "subject"u8, cloudEvent.Subject);
        WriteIfPresent(writer, "time"u8, cloudEvent.Time);
        foreach (var (name, value) in cloudEvent.Extensions)
        {
            // JSON-02/JSON-03: extensions are top-level members with their own JSON types.
            switch (value.Type)
            {
                case CloudEventValueType.Integer:
                    writer.WriteNumber(name, value.Integer);
                    break;
                case CloudEventValueType.Boolean:
                    writer.WriteBoolean(name, value.Boolean);
                    break;
                default:
                    writer.WriteString(name, value.Text);
                    break;
            }
        }

        WriteData(cloudEvent, writer);
        writer.WriteEndObject();
    }

    private static void WriteData(CloudEvent cloudEvent, Utf8JsonWriter writer)
    {
        var data = cloudEvent.Data;
        if (!data.IsPresent)
        {
            return;
        }

        var contentType = cloudEvent.DataContentType;
        if (data.IsJson)
        {
            // JSON-07: a JSON value, never a JSON document encoded in a string.
            writer.WritePropertyName("data"u8);
            writer.WriteRawValue(data.Bytes.Span, skipInputValidation: true);
        }
        else if (!MediaTypes.IsJson(contentType) && MediaTypes.IsText(contentType) && Utf8.IsValid(data.Bytes.Span))
        {
            // JSON-08: text data travels as a string.
            writer.WriteString("data"u8, data.Bytes.Span);
        }
        else
        {
            // JSON-06: everything else is binary.
            writer.WriteBase64String("data_base64"u8, data.Bytes.Span);
        }
    }

    private static void WriteIfPresent(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>Refuses text whose strings cannot be read (<see cref="JsonText"/>) before any member is.</summary>
    private static void EnsureReadable(ReadOnlySpan<byte> utf8Json)
    {
        if (JsonText.FindFault(utf8Json) is { } fault)
        {
            throw new CloudEventFormatException("$", fault);
        }
    }

    private static void EnsureEnd(ref Utf8JsonReader reader)
    {
        // The reader throws on a second top-level value; this only has to consume trailing white space.
        if (reader.Read())
        {
            throw new CloudEventFormatException("$", "unexpected content after the JSON value");
        }
    }

    private static CloudEventFormatException Malformed(JsonException ex) =>
        new("$", $"malformed JSON: {ex.Message}");
}
