using System.Text;
using System.Text.Json;

namespace Gateway.Protocols.CloudEvents.Json;

/// <summary>Reads the members of one event object from a <see cref="Utf8JsonReader"/> into a builder.</summary>
internal static class JsonEventReader
{
    /// <summary>
    /// Reads from the object's start token to its end token. Returns the event, or null when the builder recorded
    /// errors.
    /// </summary>
    public static CloudEvent? ReadEvent(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, CloudEventBuilder builder)
    {
        var data = default(DataMember);
        byte[]? base64 = null;
        var seenData = false;
        var seenBase64 = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = PropertyName(ref reader);
            reader.Read();
            switch (name)
            {
                case "data":
                    data = ReadDataMember(ref reader, json, builder, seenData);
                    seenData = true;
                    break;
                case "data_base64":
                    base64 = ReadBase64(ref reader, builder, seenBase64);
                    seenBase64 = true;
                    break;
                default:
                    builder.Set(name, ReadAttributeValue(ref reader, builder, name));
                    break;
            }
        }

        if (data.IsPresent && base64 is not null)
        {
            builder.AddError("data", "data and data_base64 are mutually exclusive (JSON-09)");
        }
        else if (base64 is not null)
        {
            builder.SetData(CloudEventData.FromBytes(base64));
        }
        else if (data.IsPresent)
        {
            builder.SetData(data.ToData(builder.DataContentType));
        }

        return builder.TryBuild();
    }

    private static DataMember ReadDataMember(
        ref Utf8JsonReader reader, ReadOnlySpan<byte> json, CloudEventBuilder builder, bool seen)
    {
        if (seen)
        {
            builder.AddError("data", "the member appears more than once");
        }

        var tokenType = reader.TokenType;
        var start = (int)reader.TokenStartIndex;
        string? text = tokenType == JsonTokenType.String ? reader.GetString() : null;
        reader.Skip();
        var end = (int)reader.BytesConsumed;

        // JSON-04 treats null members as absent; an explicit data null carries no payload either.
        return tokenType == JsonTokenType.Null ? default : new DataMember(json[start..end].ToArray(), text);
    }

    private static byte[]? ReadBase64(ref Utf8JsonReader reader, CloudEventBuilder builder, bool seen)
    {
        if (seen)
        {
            builder.AddError("data_base64", "the member appears more than once");
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType == JsonTokenType.String && reader.TryGetBytesFromBase64(out var bytes))
        {
            return bytes;
        }

        builder.AddError("data_base64", "must be a Base64 string (RFC 4648)");
        reader.Skip();
        return null;
    }

    private static CloudEventValue? ReadAttributeValue(ref Utf8JsonReader reader, CloudEventBuilder builder, string name)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return CloudEventValue.FromString(reader.GetString()!);
            case JsonTokenType.True:
                return CloudEventValue.FromBoolean(true);
            case JsonTokenType.False:
                return CloudEventValue.FromBoolean(false);
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when reader.TryGetInt32(out var integer):
                return CloudEventValue.FromInteger(integer);
            case JsonTokenType.Number:
                builder.AddError(name, "numbers must be integers in the 32-bit range (JSON-02, §2.2)");
                return null;
            default:
                builder.AddError(name, "attribute values are strings, integers or Booleans (JSON-02)");
                reader.Skip();
                return null;
        }
    }

    /// <summary>The member name, without allocating for the names every event has.</summary>
    private static string PropertyName(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("id"u8))
        {
            return CloudEventAttributes.Id;
        }

        if (reader.ValueTextEquals("source"u8))
        {
            return CloudEventAttributes.Source;
        }

        if (reader.ValueTextEquals("type"u8))
        {
            return CloudEventAttributes.Type;
        }

        if (reader.ValueTextEquals("specversion"u8))
        {
            return CloudEventAttributes.SpecVersion;
        }

        if (reader.ValueTextEquals("data"u8))
        {
            return "data";
        }

        if (reader.ValueTextEquals("datacontenttype"u8))
        {
            return CloudEventAttributes.DataContentType;
        }

        if (reader.ValueTextEquals("time"u8))
        {
            return CloudEventAttributes.Time;
        }

        return reader.GetString()!;
    }

    /// <summary>The raw <c>data</c> member; its meaning depends on <c>datacontenttype</c>, which may come later.</summary>
    private readonly record struct DataMember(byte[]? RawJson, string? StringValue)
    {
        public bool IsPresent => RawJson is not null;

        public CloudEventData ToData(string? contentType)
        {
            if (MediaTypes.IsJson(contentType) || StringValue is null)
            {
                // JSON-07/JSON-11: the JSON value as is. A non-string value under a non-JSON type is kept as JSON
                // too (JSON-12 allows failing; keeping it loses nothing).
                return CloudEventData.FromJson(RawJson);
            }

            // JSON-08/JSON-12: a string under a non-JSON type is the encoded content itself.
            return CloudEventData.FromBytes(Encoding.UTF8.GetBytes(StringValue));
        }
    }
}
