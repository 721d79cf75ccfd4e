using System.Text.Json;

namespace Gateway.Protocols.CloudEvents.Http;

/// <summary>
/// The HTTP protocol binding (§4.1) without any HTTP stack: callers hand in the <c>Content-Type</c>, the headers and
/// the body, and take out headers and a body. ASP.NET Core and <see cref="System.Net.Http.HttpClient"/> adapters
/// sit in the projects that use them.
/// </summary>
public static class HttpBinding
{
    /// <summary>The prefix of attribute headers in binary mode (HTTP-08).</summary>
    public const string HeaderPrefix = "ce-";

    /// <summary>
    /// HTTP-05: <c>application/cloudevents-batch</c> first, then <c>application/cloudevents</c>, both ignoring case;
    /// anything else is binary.
    /// </summary>
    public static HttpContentMode DetectMode(string? contentType)
    {
        if (MediaTypes.HasPrefix(contentType, "application/cloudevents-batch"))
        {
            return HttpContentMode.Batch;
        }

        return MediaTypes.HasPrefix(contentType, "application/cloudevents")
            ? HttpContentMode.Structured
            : HttpContentMode.Binary;
    }

    /// <summary>True when a structured or batch content type names the JSON format, the one this gateway reads.</summary>
    public static bool IsJsonFormat(string contentType)
    {
        var essence = MediaTypes.Essence(contentType);
        return essence.Equals(MediaTypes.CloudEventsJson, StringComparison.OrdinalIgnoreCase)
            || essence.Equals(MediaTypes.CloudEventsBatchJson, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Reads a binary-mode message (HTTP-06 to HTTP-12). <paramref name="headers"/> holds every header value, a
    /// header repeated once per value; names are matched ignoring case (HTTP-08).
    /// </summary>
    public static CloudEvent DecodeBinary(
        string? contentType, IEnumerable<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> body)
    {
        var errors = new List<CloudEventError>();
        var builder = new CloudEventBuilder(errors, HeaderPrefix);
        foreach (var (headerName, headerValue) in headers)
        {
            if (headerName.Length <= HeaderPrefix.Length
                || !headerName.StartsWith(HeaderPrefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var name = headerName[HeaderPrefix.Length..].ToLowerInvariant();
            if (name == CloudEventAttributes.DataContentType)
            {
                builder.AddError(name, "datacontenttype travels in Content-Type, never in a ce- header (HTTP-06)");
                continue;
            }

            if (HttpHeaderValue.TryDecode(headerValue, out var decoded, out var error))
            {
                builder.Set(name, decoded);
            }
            else
            {
                builder.AddError(name, error!);
            }
        }

        builder.Set(CloudEventAttributes.DataContentType, string.IsNullOrWhiteSpace(contentType) ? null : contentType);
        if (!body.IsEmpty)
        {
            builder.SetData(CloudEventData.FromPayload(body, contentType));
        }

        return builder.TryBuild() ?? throw new CloudEventFormatException(errors);
    }

    /// <summary>
    /// The headers of binary mode for <paramref name="cloudEvent"/>: every attribute but <c>datacontenttype</c> as a
    /// percent-encoded <c>ce-</c> header (HTTP-08, HTTP-11). The body is <see cref="CloudEventData.Bytes"/>.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string>> EncodeBinaryHeaders(CloudEvent cloudEvent) =>
        cloudEvent.AttributesExceptDataContentType()
            .Select(a => KeyValuePair.Create(HeaderPrefix + a.Key, HttpHeaderValue.Encode(a.Value)));

    /// <summary>
    /// The <c>Content-Type</c> of binary mode (HTTP-06): <c>datacontenttype</c>, or <c>application/json</c> for JSON
    /// data without one (CE-09, JSON-13); null when there is neither.
    /// </summary>
    public static string? BinaryContentType(CloudEvent cloudEvent) =>
        cloudEvent.DataContentType ?? (cloudEvent.Data.IsJson ? MediaTypes.Json : null);
}
