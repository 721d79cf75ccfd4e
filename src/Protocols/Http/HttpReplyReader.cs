using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Http;
using Gateway.Protocols.CloudEvents.Json;

namespace Gateway.Protocols.Http;

/// <summary>Reads a CloudEvent from a sink's 200/201 answer, binary or structured, for reply chaining.</summary>
internal static class HttpReplyReader
{
    /// <summary>The reply event, or null; when the sink sent something that looked like one but was not valid,
    /// the problem says why.</summary>
    public static async ValueTask<(CloudEvent? Reply, string? Problem)> ReadAsync(
        HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var contentType = response.Content.Headers.ContentType?.ToString();
        var mode = HttpBinding.DetectMode(contentType);
        var isStructured = mode == HttpContentMode.Structured && HttpBinding.IsJsonFormat(contentType!);
        var isBinary = mode == HttpContentMode.Binary && response.Headers.Contains("ce-specversion");
        if (!isStructured && !isBinary)
        {
            return (null, null);
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        try
        {
            return (isStructured
                ? JsonEventFormat.Parse(body)
                : HttpBinding.DecodeBinary(contentType, Headers(response), body), null);
        }
        catch (CloudEventFormatException ex)
        {
            // A malformed reply does not fail the delivery (the sink took the event); the caller reports it.
            return (null, $"the sink's reply is not a valid CloudEvent: {ex.Message}");
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> Headers(HttpResponseMessage response) =>
        response.Headers.SelectMany(h => h.Value, (h, v) => KeyValuePair.Create(h.Key, v));
}
