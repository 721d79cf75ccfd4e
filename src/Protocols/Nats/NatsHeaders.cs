using System.Text;

namespace Gateway.Protocols.Nats;

/// <summary>
/// NATS message headers (NATS 2.2+): <c>NATS/1.0[ status]\r\n</c>, then <c>Name: value\r\n</c> lines, then an empty
/// line. Names are case-insensitive on lookup and kept as written.
/// </summary>
public sealed class NatsHeaders
{
    private readonly List<KeyValuePair<string, string>> _entries = [];

    /// <summary>The status code of a server message (503 for "no responders"), or null.</summary>
    public int? Status { get; init; }

    /// <summary>The words after the status code (<c>Request Timeout</c>), or null.</summary>
    public string? StatusDescription { get; init; }

    /// <summary>How many entries.</summary>
    public int Count => _entries.Count;

    /// <summary>Every entry in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Entries => _entries;

    /// <summary>Adds an entry. Names are tokens without ':' or white space; values are single-line text.</summary>
    public NatsHeaders Add(string name, string value)
    {
        if (name.Length == 0 || name.Any(c => c is ':' or <= ' ' or > '~'))
        {
            throw new ArgumentException($"'{name}' is not a valid header name", nameof(name));
        }

        if (value.Any(c => c is '\r' or '\n'))
        {
            throw new ArgumentException("header values are one line", nameof(value));
        }

        _entries.Add(new(name, value));
        return this;
    }

    /// <summary>The first value of <paramref name="name"/>, ignoring case, or null.</summary>
    public string? this[string name] =>
        _entries.FirstOrDefault(e => string.Equals(e.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>The header block, ready to follow an <c>HPUB</c> control line.</summary>
    public byte[] ToBytes()
    {
        var text = new StringBuilder("NATS/1.0\r\n");
        foreach (var (name, value) in _entries)
        {
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(text.Append("\r\n").ToString());
    }

    /// <summary>Parses a header block; throws <see cref="NatsProtocolException"/> when it is malformed.</summary>
    public static NatsHeaders Parse(ReadOnlySpan<byte> block)
    {
        var text = Encoding.UTF8.GetString(block);
        var lines = text.Split("\r\n");
        if (lines.Length < 2 || !lines[0].StartsWith("NATS/1.0", StringComparison.Ordinal))
        {
            throw new NatsProtocolException("a header block starts with NATS/1.0");
        }

        var statusText = lines[0]["NATS/1.0".Length..].Trim();
        var headers = new NatsHeaders
        {
            Status = statusText.Length >= 3 && int.TryParse(statusText.AsSpan(0, 3), out var status) ? status : null,
            StatusDescription = statusText.Length > 3 ? statusText[3..].Trim() : null,
        };
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new NatsProtocolException($"malformed header line '{line}'");
            }

            headers._entries.Add(new(line[..colon], line[(colon + 1)..].Trim()));
        }

        return headers;
    }
}

/// <summary>The server broke the protocol, or sent more than the client accepts.</summary>
public sealed class NatsProtocolException(string message) : Exception(message);
