using System.Text;
using System.Text.Unicode;

namespace Gateway.Protocols.CloudEvents.Http;

/// <summary>
/// The percent-encoding of attribute values in <c>ce-</c> headers, shared by the HTTP (HTTP-11, HTTP-12) and NATS
/// (NATS-05) bindings.
/// </summary>
public static class HttpHeaderValue
{
    /// <summary>
    /// HTTP-11: percent-encodes space, <c>"</c>, <c>%</c> and every character outside U+0021–U+007E, as the
    /// upper-case hex of its UTF-8 bytes. Values that need nothing encoded are returned as they are.
    /// </summary>
    public static string Encode(string value)
    {
        var clean = true;
        foreach (var c in value)
        {
            if (NeedsEncoding(c))
            {
                clean = false;
                break;
            }
        }

        if (clean)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 16);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.IsAscii && !NeedsEncoding((char)rune.Value))
            {
                builder.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(utf8);
            for (var i = 0; i < length; i++)
            {
                builder.Append('%').Append(utf8[i].ToString("X2"));
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// HTTP-12: unquotes an RFC 7230 quoted-string, then makes one round of percent-decoding (either hex case), and
    /// rejects what is not well-formed UTF-8 (overlong forms included).
    /// </summary>
    public static bool TryDecode(string value, out string decoded, out string? error)
    {
        var text = value.AsSpan();
        string? unquoted = null;
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            unquoted = Unquote(text[1..^1]);
            text = unquoted;
        }

        if (!text.Contains('%'))
        {
            decoded = unquoted ?? value;
            return CheckRaw(text, out error);
        }

        var bytes = new byte[text.Length];
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%')
            {
                if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                {
                    decoded = string.Empty;
                    error = "a '%' must be followed by two hex digits (HTTP-12)";
                    return false;
                }

                bytes[count++] = (byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2]));
                i += 2;
            }
            else if (c > '\u007E')
            {
                decoded = string.Empty;
                error = "characters outside US-ASCII must be percent-encoded (HTTP-11)";
                return false;
            }
            else
            {
                bytes[count++] = (byte)c;
            }
        }

        if (!Utf8.IsValid(bytes.AsSpan(0, count)))
        {
            decoded = string.Empty;
            error = "the percent-encoded bytes are not valid UTF-8 (HTTP-12)";
            return false;
        }

        decoded = Encoding.UTF8.GetString(bytes, 0, count);
        error = null;
        return true;
    }

    private static bool NeedsEncoding(char c) => c is <= ' ' or '"' or '%' or >= '\u007F';

    private static bool CheckRaw(ReadOnlySpan<char> text, out string? error)
    {
        foreach (var c in text)
        {
            if (c > '\u007E')
            {
                error = "characters outside US-ASCII must be percent-encoded (HTTP-11)";
                return false;
            }
        }

        error = null;
        return true;
    }

    private static string Unquote(ReadOnlySpan<char> inner)
    {
        var builder = new StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            // RFC 7230 §3.2.6 quoted-pair: a backslash escapes the next character.
            if (inner[i] == '\\' && i + 1 < inner.Length)
            {
                i++;
            }

            builder.Append(inner[i]);
        }

        return builder.ToString();
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
