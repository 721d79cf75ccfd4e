using System.Globalization;
using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Http;

/// <summary>The abuse-protection handshake as a sender (WH-11 to WH-13).</summary>
internal static class WebhookHandshake
{
    /// <summary>
    /// Sends <c>OPTIONS</c> with <c>WebHook-Request-Origin</c> to the exact sink URI. Consent is the
    /// <c>WebHook-Allowed-Origin</c> header naming our origin or <c>*</c>; the status code is not consent (WH-12).
    /// </summary>
    public static async ValueTask<SinkValidation> RequestAsync(
        HttpClient client, Uri sink, HttpDeliveryOptions options, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, sink);
        request.Headers.TryAddWithoutValidation("WebHook-Request-Origin", options.WebhookOrigin);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            using var response = await client.SendAsync(request, timeout.Token);
            return Interpret(response, options.WebhookOrigin);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SinkValidation(false, "the sink did not answer the OPTIONS handshake in time");
        }
        catch (HttpRequestException ex)
        {
            return new SinkValidation(false, $"the OPTIONS handshake failed: {ex.InnerException?.Message ?? ex.Message}");
        }
    }

    private static SinkValidation Interpret(HttpResponseMessage response, string origin)
    {
        var allowedOrigin = Single(response, "WebHook-Allowed-Origin");
        if (allowedOrigin is null)
        {
            return new SinkValidation(
                false, $"the sink answered the OPTIONS handshake with {(int)response.StatusCode} but no WebHook-Allowed-Origin (WH-12)");
        }

        if (allowedOrigin != "*" && !string.Equals(allowedOrigin, origin, StringComparison.OrdinalIgnoreCase))
        {
            return new SinkValidation(false, $"the sink allows origin '{allowedOrigin}', not '{origin}' (WH-12)");
        }

        // WH-12: the rate is '*' or a positive integer per minute; a sink that leaves it out SHOULD have sent it,
        // and without a number there is nothing to keep to.
        var rate = Single(response, "WebHook-Allowed-Rate");
        return int.TryParse(rate, NumberStyles.None, CultureInfo.InvariantCulture, out var perMinute) && perMinute > 0
            ? new SinkValidation(true, AllowedRatePerMinute: perMinute)
            : new SinkValidation(true);
    }

    private static string? Single(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values) ? values.FirstOrDefault()?.Trim() : null;
}
