using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Json;
using Gateway.Protocols.Http;

namespace Gateway.Protocols.OpenWhisk;

/// <summary>Fires one trigger (spec/openwhisk.md, "Firing a trigger") and classifies OpenWhisk's answer.</summary>
internal sealed class OpenWhiskEventSender(HttpClient client, Uri trigger, SinkCredential credential, bool dataOnly) : IEventSender
{
    /// <summary>Stock OpenWhisk throttles trigger fires per minute: without Retry-After, wait out the window.</summary>
    private static readonly TimeSpan ThrottleWindow = TimeSpan.FromSeconds(60);

    private readonly AuthenticationHeaderValue _authorization = OpenWhiskAuth.Basic(credential.Identifier!, credential.Secret!);

    public ValueTask<SinkValidation> ValidateSinkAsync(CancellationToken cancellationToken) => ValueTask.FromResult(SinkValidation.NotRequired);

    public async ValueTask<DeliveryResult> SendAsync(CloudEvent cloudEvent, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, trigger)
        {
            Content = new ByteArrayContent(OpenWhiskPayload.Create(cloudEvent, dataOnly)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = _authorization;
        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            return await ClassifyAsync(response, cancellationToken);
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

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static async Task<DeliveryResult> ClassifyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var code = (int)response.StatusCode;
        if (code is >= 200 and < 300)
        {
            // 202: fired, with an activation; 204: fired, but no active rule. Both are delivered.
            return DeliveryResult.Delivered(code);
        }

        var message = $"OpenWhisk answered {code}: {await ErrorMessageAsync(response, cancellationToken)}";
        return code switch
        {
            // The trigger is gone or the key no longer works: stop, keep the reason (the providers' auto-disable).
            (int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.Forbidden or (int)HttpStatusCode.NotFound =>
                new DeliveryResult(DeliveryOutcome.Gone, code, message),
            (int)HttpStatusCode.TooManyRequests => new DeliveryResult(
                DeliveryOutcome.Retry, code, message, RetryAfter.Of(response) ?? DateTimeOffset.UtcNow + ThrottleWindow),
            (int)HttpStatusCode.RequestTimeout or >= 500 => new DeliveryResult(DeliveryOutcome.Retry, code, message, RetryAfter.Of(response)),
            _ => new DeliveryResult(DeliveryOutcome.Permanent, code, message),
        };
    }

    /// <summary>OpenWhisk's error body is <c>{"error": "...", "code": "..."}</c>; anything else is shown as is, cut short.</summary>
    private static async Task<string> ErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("error", out var error))
            {
                return error.ToString();
            }
        }
        catch (JsonException)
        {
            // Not JSON.
        }

        return body.Length <= 200 ? body : body[..200];
    }
}

/// <summary>The trigger's parameters: the whole event in the JSON format, or only its data.</summary>
internal static class OpenWhiskPayload
{
    public static byte[] Create(CloudEvent cloudEvent, bool dataOnly)
    {
        if (!dataOnly)
        {
            // Attributes, extensions and data as top-level members: the JSON format is exactly that shape.
            return JsonEventFormat.ToUtf8Bytes(cloudEvent);
        }

        var data = cloudEvent.Data;
        if (data.IsJson && data.Bytes.Span.TrimStart(" \t\r\n"u8) is [(byte)'{', ..])
        {
            return data.Bytes.ToArray();
        }

        // Parameters must be an object: other data goes under "data" (text as a string, bytes as Base64).
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (data.IsJson)
            {
                writer.WritePropertyName("data"u8);
                writer.WriteRawValue(data.Bytes.Span, skipInputValidation: true);
            }
            else if (data.IsPresent && System.Text.Unicode.Utf8.IsValid(data.Bytes.Span))
            {
                writer.WriteString("data"u8, Encoding.UTF8.GetString(data.Bytes.Span));
            }
            else if (data.IsPresent)
            {
                writer.WriteBase64String("data_base64"u8, data.Bytes.Span);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}

/// <summary>OpenWhisk's authentication: the namespace key <c>uuid:key</c>, sent as pre-emptive Basic.</summary>
public static class OpenWhiskAuth
{
    /// <summary>The Basic header for a key's uuid and secret.</summary>
    public static AuthenticationHeaderValue Basic(string uuid, string key) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{uuid}:{key}")));
}
