using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Http;
using Gateway.Protocols.CloudEvents.Json;

namespace Gateway.Protocols.Http;

/// <summary>Delivers events to one webhook (§5) and reads what it answers.</summary>
internal sealed class HttpEventSender : IEventSender
{
    private const string RequestOriginHeader = "WebHook-Request-Origin";

    private readonly HttpClient _client;
    private readonly HttpDeliveryOptions _options;
    private readonly Uri _sink;
    private readonly HttpSinkSettings _settings;
    private readonly AuthenticationHeaderValue? _authorization;
    private readonly RefreshedAccessToken? _refreshed;
    private readonly Action? _release;
    private readonly RatePacer _pacer = new();

    /// <summary>
    /// A sender for <paramref name="sink"/>; a <c>REFRESHTOKEN</c> credential's token comes from
    /// <paramref name="refreshed"/>, whose <c>Release</c> gives it back when the sender is disposed.
    /// </summary>
    public HttpEventSender(
        HttpClient client,
        HttpDeliveryOptions options,
        Uri sink,
        HttpSinkSettings settings,
        SinkCredential? credential,
        (RefreshedAccessToken Token, Action Release)? refreshed = null)
    {
        _client = client;
        _options = options;
        _sink = sink;
        _settings = settings;
        _authorization = HttpAuthorization.From(credential);
        (_refreshed, _release) = refreshed is { } token ? (token.Token, token.Release) : (null, null);
    }

    public async ValueTask<SinkValidation> ValidateSinkAsync(CancellationToken cancellationToken)
    {
        if (!_options.ValidateSinks)
        {
            return SinkValidation.NotRequired;
        }

        var validation = await WebhookHandshake.RequestAsync(_client, _sink, _options, cancellationToken);
        if (validation.Granted)
        {
            _pacer.SetRate(validation.AllowedRatePerMinute);
        }

        return validation;
    }

    public async ValueTask<DeliveryResult> SendAsync(CloudEvent cloudEvent, CancellationToken cancellationToken)
    {
        // The sender keeps to the rate the sink granted in the handshake (WH-12), so the sink need not answer 429.
        await _pacer.WaitTurnAsync(cancellationToken);
        // The caller bounds the attempt (delivery.timeout), the token refresh included, through the token.
        AuthenticationHeaderValue? authorization;
        try
        {
            authorization = _refreshed is null ? _authorization : await _refreshed.HeaderAsync(cancellationToken);
        }
        catch (TokenRefreshException ex)
        {
            // The event waits: the token endpoint may recover, or the subscription's credential be replaced.
            return new DeliveryResult(DeliveryOutcome.Retry, Reason: $"the access token could not be refreshed: {ex.Message}");
        }

        using var request = CreateRequest(cloudEvent, authorization);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized && _refreshed is not null && authorization is not null)
            {
                // A refreshable token the sink no longer takes (revoked, or it expired early): renew it and try again.
                _refreshed.Refused(authorization);
                return new DeliveryResult(
                    DeliveryOutcome.Retry, 401, "the sink refused the access token (401); it is refreshed before the next attempt");
            }

            return await HttpResponseClassifier.ClassifyAsync(response, cancellationToken);
        }
        catch (HttpRequestException ex) when (SinkHttpClient.IsRefusedByGuard(ex, out var refused))
        {
            return new DeliveryResult(DeliveryOutcome.Permanent, Reason: refused);
        }
        catch (HttpRequestException ex)
        {
            return new DeliveryResult(DeliveryOutcome.Retry, Reason: ex.Message);
        }
    }

    public ValueTask DisposeAsync()
    {
        _release?.Invoke();
        return ValueTask.CompletedTask;
    }

    private HttpRequestMessage CreateRequest(CloudEvent cloudEvent, AuthenticationHeaderValue? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _sink);
        if (_settings.Structured)
        {
            request.Content = new ByteArrayContent(JsonEventFormat.ToUtf8Bytes(cloudEvent));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", MediaTypes.CloudEventsJson + "; charset=utf-8");
        }
        else
        {
            request.Content = new ReadOnlyMemoryContent(cloudEvent.Data.Bytes);
            if (HttpBinding.BinaryContentType(cloudEvent) is { } contentType)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            foreach (var (name, value) in HttpBinding.EncodeBinaryHeaders(cloudEvent))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        foreach (var (name, value) in _settings.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        // WH-14: every delivery carries the origin used in the handshake.
        request.Headers.TryAddWithoutValidation(RequestOriginHeader, _options.WebhookOrigin);
        request.Headers.Authorization = authorization;
        return request;
    }
}

/// <summary>Classifies a webhook's answer (§5.2).</summary>
internal static class HttpResponseClassifier
{
    public static async ValueTask<DeliveryResult> ClassifyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var code = (int)response.StatusCode;
        return code switch
        {
            >= 200 and < 300 => await DeliveredAsync(response, code, cancellationToken),
            >= 300 and < 400 => new DeliveryResult(
                DeliveryOutcome.Permanent, code, $"the sink answered {code}; redirects are never followed (WH-05)"),
            (int)HttpStatusCode.Gone => new DeliveryResult(
                DeliveryOutcome.Gone, code, "the sink answered 410 Gone: it is retired"),
            (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or >= 500 => new DeliveryResult(
                DeliveryOutcome.Retry, code, $"the sink answered {code}", RetryAfter.Of(response)),
            _ => new DeliveryResult(DeliveryOutcome.Permanent, code, $"the sink answered {code}"),
        };
    }

    private static async Task<DeliveryResult> DeliveredAsync(HttpResponseMessage response, int code, CancellationToken cancellationToken)
    {
        var (reply, problem) = await HttpReplyReader.ReadAsync(response, cancellationToken);
        return new DeliveryResult(DeliveryOutcome.Delivered, code, problem, Reply: reply);
    }
}
