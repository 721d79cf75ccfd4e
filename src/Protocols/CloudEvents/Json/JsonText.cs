using System.Text.Json;
using System.Text.Unicode;

namespace Gateway.Protocols.CloudEvents.Json;

/// <summary>
/// What untrusted JSON text must be before anything reads its strings. System.Text.Json checks the
/// structure when it parses but the text of a string only when the string is read, and then throws
/// <see cref="InvalidOperationException"/>, far from the request and answered as a 500. Two faults do that: bytes that
/// are not UTF-8, and an escaped lone surrogate (<c>"\ud800"</c>), which is valid JSON syntax but no string.
/// </summary>
public static class JsonText
{
    /// <summary>Why the text cannot be read, or null when every string in it can (its structure is not checked).</summary>
    public static string? FindFault(ReadOnlySpan<byte> utf8Json)
    {
        // RFC 8259 §8.1: JSON exchanged between systems is UTF-8.
        if (!Utf8.IsValid(utf8Json))
        {
            return "the body is not valid UTF-8, which JSON text must be (RFC 8259 §8.1)";
        }

        // Only a \u escape can make a lone surrogate; most bodies have none and skip the scan.
        return utf8Json.IndexOf("\\u"u8) < 0 || EveryEscapedStringDecodes(utf8Json)
            ? null
            : "the body escapes a lone surrogate (\\ud800 without its pair), which no string can hold (I-JSON, RFC 7493 §2.1)";
    }

    private static bool EveryEscapedStringDecodes(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    _ = reader.GetString();
                }
            }

            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        catch (JsonException)
        {
            // A structural error: the parser that reads the text next reports it with its position.
            return true;
        }
    }
}
