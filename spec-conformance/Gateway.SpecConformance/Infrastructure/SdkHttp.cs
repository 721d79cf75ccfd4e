using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Mime;
using System.Text;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;

namespace Gateway.SpecConformance.Infrastructure;

/// <summary>
/// The CloudEvents HTTP binding (§3) as a thin adapter over the CNCF SDK's <see cref="JsonEventFormatter"/>, since
/// its .Http package is not served here (environment.md): the formatter does the JSON format, the batch format and the
/// data; this does only the header mapping HTTP-05 to HTTP-07 name. Used by the tests as a client nobody here wrote.
/// </summary>
public static class SdkHttp
{
    private const string Prefix = "ce-";

    public static JsonEventFormatter Formatter { get; } = new();

    /// <summary>A structured-mode request body (the SDK's JSON format).</summary>
    public static HttpContent Structured(CloudEvent cloudEvent) =>
        Content(Formatter.EncodeStructuredModeMessage(cloudEvent, out var contentType), contentType);

    /// <summary>A batch-mode request body (the SDK's JSON batch format).</summary>
    public static HttpContent Batch(IEnumerable<CloudEvent> cloudEvents) =>
        Content(Formatter.EncodeBatchModeMessage(cloudEvents, out var contentType), contentType);

    /// <summary>A binary-mode request: every attribute but datacontenttype a percent-encoded <c>ce-</c> header (HTTP-06).</summary>
    public static HttpRequestMessage Binary(CloudEvent cloudEvent, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent(Formatter.EncodeBinaryModeEventData(cloudEvent).ToArray()),
        };
        foreach (var (attribute, value) in cloudEvent.GetPopulatedAttributes())
        {
            if (attribute != cloudEvent.SpecVersion.DataContentTypeAttribute)
            {
                request.Headers.TryAddWithoutValidation(Prefix + attribute.Name, Encode(attribute.Format(value)));
            }
        }

        request.Headers.TryAddWithoutValidation(Prefix + "specversion", cloudEvent.SpecVersion.VersionId);
        if (cloudEvent.DataContentType is { } dataContentType)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(dataContentType);
        }

        return request;
    }

    /// <summary>What a sink received, read back by the SDK: structured or binary (HTTP-04).</summary>
    public static CloudEvent Read(ReceivedRequest request)
    {
        var contentType = request.Header("Content-Type");
        if (contentType?.StartsWith("application/cloudevents+json", StringComparison.OrdinalIgnoreCase) == true)
        {
            return Formatter.DecodeStructuredModeMessage(request.Body, new ContentType(contentType), extensionAttributes: null);
        }

        var specVersion = CloudEventsSpecVersion.FromVersionId(request.Header(Prefix + "specversion"))
            ?? throw new InvalidOperationException("no ce-specversion header");
        var cloudEvent = new CloudEvent(specVersion);
        foreach (var (name, value) in request.Headers)
        {
            if (name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && !name.Equals(Prefix + "specversion", StringComparison.OrdinalIgnoreCase))
            {
                cloudEvent.SetAttributeFromString(name[Prefix.Length..].ToLowerInvariant(), Uri.UnescapeDataString(value));
            }
        }

        cloudEvent.DataContentType = contentType;
        Formatter.DecodeBinaryModeEventData(request.Body, cloudEvent);
        return cloudEvent;
    }

    /// <summary>HTTP-06: space, '"', '%' and anything outside printable ASCII are percent-encoded as UTF-8.</summary>
    private static string Encode(string value)
    {
        var encoded = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is > 0x20 and < 0x7F and not (byte)'"' and not (byte)'%')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }

    private static ByteArrayContent Content(ReadOnlyMemory<byte> body, ContentType contentType)
    {
        var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType.ToString());
        return content;
    }
}
