using System.Net.Http.Headers;

namespace Gateway.Protocols.CloudEvents;

/// <summary>Media-type rules the formats and bindings share.</summary>
public static class MediaTypes
{
    /// <summary>JSON format, single event (JSON-01).</summary>
    public const string CloudEventsJson = "application/cloudevents+json";

    /// <summary>JSON format, batch (JSON-14).</summary>
    public const string CloudEventsBatchJson = "application/cloudevents-batch+json";

    /// <summary>The implied content type of data with no <c>datacontenttype</c> (JSON-13, CE-09).</summary>
    public const string Json = "application/json";

    /// <summary>True when <paramref name="value"/> is an RFC 2046 media type: <c>type/subtype</c> plus parameters.</summary>
    public static bool IsValid(string value) =>
        value.Length > 0 && value.Contains('/', StringComparison.Ordinal)
        && MediaTypeHeaderValue.TryParse(value, out var parsed)
        // §2.1 (datacontenttype adheres to RFC 2046): RFC 2045 §5.1 allows no white space inside type "/" subtype and
        // makes every parameter attribute "=" value; MediaTypeHeaderValue accepts "text /plain" and "text/plain; charset".
        && !Essence(value).ContainsAny(' ', '\t')
        && parsed.Parameters.All(p => p.Value is not null);

    /// <summary>
    /// JSON-07: <c>*/json</c> or <c>*/*+json</c>, parameters ignored, compared case-insensitively; no content type at
    /// all counts as JSON.
    /// </summary>
    public static bool IsJson(string? contentType)
    {
        if (contentType is null)
        {
            return true;
        }

        var mediaType = Essence(contentType);
        var slash = mediaType.IndexOf('/');
        if (slash < 0)
        {
            return false;
        }

        var subtype = mediaType[(slash + 1)..];
        return subtype.Equals("json", StringComparison.OrdinalIgnoreCase)
            || subtype.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// True for content types whose data is text and so is carried as a JSON string in the JSON format (JSON-08):
    /// <c>text/*</c>, XML types, and any type that names a charset.
    /// </summary>
    public static bool IsText(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }

        var mediaType = Essence(contentType);
        return mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("/xml", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+xml", StringComparison.OrdinalIgnoreCase)
            || contentType.Contains("charset=", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True when <paramref name="contentType"/> starts with <paramref name="prefix"/>, ignoring case (HTTP-05).</summary>
    public static bool HasPrefix(string? contentType, string prefix) =>
        contentType is not null && contentType.TrimStart().StartsWith(prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>The media type without parameters and surrounding white space.</summary>
    public static ReadOnlySpan<char> Essence(string contentType)
    {
        var span = contentType.AsSpan();
        var semicolon = span.IndexOf(';');
        return (semicolon >= 0 ? span[..semicolon] : span).Trim();
    }
}
