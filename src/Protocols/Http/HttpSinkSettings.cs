using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Http;

/// <summary>The <c>protocolsettings</c> of an HTTP subscription (§6.3), validated.</summary>
internal sealed record HttpSinkSettings(bool Structured, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public const string Method = "method";
    public const string ContentMode = "contentmode";
    public const string HeadersKey = "headers";

    /// <summary>Headers the gateway writes itself; a subscription may not set them.</summary>
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "content-type", "content-length", "host", "authorization", "transfer-encoding", "connection",
        "webhook-request-origin",
    };

    /// <summary>Validates and fills defaults in place: <c>method: POST</c>, <c>contentmode: binary</c>.</summary>
    public static void ValidateAndComplete(JsonObject settings, ICollection<ValidationError> errors)
    {
        if (settings[Method] is { } method
            && (method.GetValueKind() != JsonValueKind.String || method.GetValue<string>() != "POST"))
        {
            // WH-02 and G13: webhook delivery is a POST; other methods would lose the webhook semantics.
            errors.Add(new("protocolsettings.method", "webhook delivery uses POST (WH-02); no other method is supported"));
        }

        settings[Method] = "POST";
        if (settings[ContentMode] is { } mode
            && (mode.GetValueKind() != JsonValueKind.String || mode.GetValue<string>() is not ("binary" or "structured")))
        {
            errors.Add(new("protocolsettings.contentmode", "must be 'binary' or 'structured'"));
        }

        settings[ContentMode] ??= "binary";
        if (settings[HeadersKey] is { } headers)
        {
            ValidateHeaders(headers, errors);
        }
    }

    /// <summary>Reads settings that passed <see cref="ValidateAndComplete"/>.</summary>
    public static HttpSinkSettings Read(JsonObject settings)
    {
        var headers = settings[HeadersKey] is JsonObject map
            ? map.Select(p => KeyValuePair.Create(p.Key, p.Value!.GetValue<string>())).ToArray()
            : [];
        return new(settings[ContentMode]?.GetValue<string>() == "structured", headers);
    }

    private static void ValidateHeaders(JsonNode headers, ICollection<ValidationError> errors)
    {
        if (headers is not JsonObject map)
        {
            errors.Add(new("protocolsettings.headers", "must be an object of header names to string values"));
            return;
        }

        foreach (var (name, value) in map)
        {
            var field = $"protocolsettings.headers.{name}";
            if (value is null || value.GetValueKind() != JsonValueKind.String)
            {
                errors.Add(new(field, "header values must be strings"));
            }
            else if (!IsToken(name) || ReservedHeaders.Contains(name)
                || name.StartsWith("ce-", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(new(field, "not a header name a subscription may set (the gateway writes Content-Type, ce-*, Authorization and WebHook-* itself)"));
            }
            else if (value.GetValue<string>().Any(c => c is < ' ' or > '~'))
            {
                errors.Add(new(field, "header values must be printable US-ASCII"));
            }
        }
    }

    private static bool IsToken(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal));
}
