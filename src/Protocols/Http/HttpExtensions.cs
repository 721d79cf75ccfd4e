using System.Net.Http.Headers;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Http;
using Gateway.Protocols.CloudEvents.Json;
using Sdk = CloudNative.CloudEvents;

namespace Gateway.Protocols.Http;

/// <summary>
/// The HTTP binding in the shape and names of the CNCF SDK's CloudNative.CloudEvents.Http (not served here), for
/// plugin authors: <c>ToHttpContent</c> and <c>ToCloudEventAsync</c> over System.Net.Http. As the SDK does, binary
/// mode puts the <c>ce-</c> headers on the content. The JSON format is the gateway's own: the SDK's does not forward
/// every event unchanged (SdkFidelityTests).
/// </summary>
public static class HttpExtensions
{
    /// <summary>The content for an event: binary (HTTP-06 to HTTP-12) or structured (HTTP-13).</summary>
    public static HttpContent ToHttpContent(this Sdk.CloudEvent cloudEvent, Sdk.ContentMode contentMode)
    {
        var gatewayEvent = SdkCloudEvents.FromSdkCloudEvent(cloudEvent);
        switch (contentMode)
        {
            case Sdk.ContentMode.Structured:
                var structured = new ByteArrayContent(JsonEventFormat.ToUtf8Bytes(gatewayEvent));
                structured.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.CloudEventsJson) { CharSet = "utf-8" };
                return structured;
            case Sdk.ContentMode.Binary:
                var binary = new ReadOnlyMemoryContent(gatewayEvent.Data.Bytes);
                if (HttpBinding.BinaryContentType(gatewayEvent) is { } contentType)
                {
                    binary.Headers.TryAddWithoutValidation("Content-Type", contentType);
                }

                foreach (var (name, value) in HttpBinding.EncodeBinaryHeaders(gatewayEvent))
                {
                    binary.Headers.TryAddWithoutValidation(name, value);
                }

                return binary;
            default:
                throw new ArgumentException($"HTTP has no content mode {contentMode}", nameof(contentMode));
        }
    }

    /// <summary>The CloudEvent a request carries, in any mode but batch.</summary>
    public static Task<Sdk.CloudEvent> ToCloudEventAsync(this HttpRequestMessage request, CancellationToken cancellationToken = default) =>
        DecodeAsync(request.Headers, request.Content, cancellationToken);

    /// <summary>The CloudEvent a response carries (a sink's reply), in any mode but batch.</summary>
    public static Task<Sdk.CloudEvent> ToCloudEventAsync(this HttpResponseMessage response, CancellationToken cancellationToken = default) =>
        DecodeAsync(response.Headers, response.Content, cancellationToken);

    private static async Task<Sdk.CloudEvent> DecodeAsync(HttpHeaders headers, HttpContent? content, CancellationToken cancellationToken)
    {
        var body = content is null ? [] : await content.ReadAsByteArrayAsync(cancellationToken);
        var contentType = content?.Headers.ContentType?.ToString();
        var decoded = HttpBinding.DetectMode(contentType) switch
        {
            HttpContentMode.Structured => JsonEventFormat.Parse(body),
            HttpContentMode.Batch => throw new CloudEventFormatException(
                "Content-Type", "a batch carries several events; read it with the JSON format's ParseBatch"),
            _ => HttpBinding.DecodeBinary(
                contentType,
                headers.Concat(content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
                    .SelectMany(h => h.Value, (h, value) => KeyValuePair.Create(h.Key, value)),
                body),
        };
        return decoded.ToSdkCloudEvent();
    }
}
