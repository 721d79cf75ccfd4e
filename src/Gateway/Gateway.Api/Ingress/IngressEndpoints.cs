using System.Security.Claims;
using Gateway.Api;
using Gateway.Discovery;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Http;
using Gateway.Protocols.CloudEvents.Json;
using Gateway.Security;
using Gateway.Storage;
using Gateway.Timers;

namespace Gateway.Ingress;

/// <summary>Webhook ingress: <c>POST /events</c> in all three content modes, and the <c>OPTIONS</c> handshake.</summary>
internal static class IngressEndpoints
{
    public static void MapIngress(this IEndpointRouteBuilder app)
    {
        var accept = app.MapPost("/events", AcceptAsync);
        if (!app.ServiceProvider.GetRequiredService<AuthOptions>().AnonymousIngress)
        {
            accept.RequireScope(Scopes.EventsWrite);
        }

        if (app.ServiceProvider.GetRequiredService<IngressOptions>().RequestsPerMinute is not null)
        {
            accept.RequireRateLimiting(IngressRateLimits.Policy);
        }

        app.MapMethods("/events", ["OPTIONS"], Handshake);
    }

    /// <summary>Decodes, validates and durably appends; 202 only once the log committed every event.</summary>
    private static async Task<IResult> AcceptAsync(
        HttpRequest request, ClaimsPrincipal user, IEventLog log, EventCatalog catalog, CancellationToken cancellationToken)
    {
        var (body, problem) = await RequestBody.ReadAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        IReadOnlyList<CloudEvent> events;
        try
        {
            events = Decode(request, body!);
        }
        catch (CloudEventFormatException ex)
        {
            return Problems.Invalid(ex.Errors.Select(e => new ValidationError(e.Field, e.Message)), "Invalid CloudEvent");
        }
        catch (UnsupportedFormatException ex)
        {
            return Problems.Invalid("Content-Type", ex.Message, "Unsupported event format", StatusCodes.Status415UnsupportedMediaType);
        }

        if (ReservedAttributes(request.ContentType, events) is { Count: > 0 } reserved)
        {
            return Problems.Invalid(reserved, "Invalid CloudEvent");
        }

        if (ForeignSources(request.ContentType, events, GatewayPrincipal.SourcePrefixes(user)) is { Count: > 0 } foreign)
        {
            return Problems.Invalid(foreign, "Source not allowed", StatusCodes.Status403Forbidden);
        }

        // The producer may hang up; the append still completes, so an event is never half-accepted.
        await log.AppendAsync(events, CancellationToken.None);
        foreach (var cloudEvent in events)
        {
            catalog.Observe(cloudEvent);
        }

        return TypedResults.Accepted((string?)null);
    }

    private static IReadOnlyList<CloudEvent> Decode(HttpRequest request, byte[] body)
    {
        var contentType = request.ContentType;
        switch (HttpBinding.DetectMode(contentType))
        {
            case HttpContentMode.Batch:
                EnsureJsonFormat(contentType!);
                return JsonEventFormat.ParseBatch(body);
            case HttpContentMode.Structured:
                // HTTP-15: any ce- headers beside a structured body are ignored; the body is authoritative.
                EnsureJsonFormat(contentType!);
                return [JsonEventFormat.Parse(body)];
            default:
                var headers = request.Headers.SelectMany(h => h.Value, (h, v) => KeyValuePair.Create(h.Key, v ?? string.Empty));
                return [HttpBinding.DecodeBinary(contentType, headers, body)];
        }
    }

    /// <summary>
    /// <c>gatewaytarget</c> addresses the gateway's own timer events to one subscription past every filter (README,
    /// "Timers"), so a producer may not set it.
    /// </summary>
    private static List<ValidationError> ReservedAttributes(string? contentType, IReadOnlyList<CloudEvent> events) =>
        Refuse(
            contentType,
            events,
            TimerTarget.Attribute,
            e => e.TryGetAttribute(TimerTarget.Attribute, out _),
            "is reserved for the gateway's own timer events");

    /// <summary>A producer key limited to some sources may not post events claiming another's (WH-08).</summary>
    private static List<ValidationError> ForeignSources(string? contentType, IReadOnlyList<CloudEvent> events, IReadOnlyList<string> prefixes) =>
        prefixes.Count == 0
            ? []
            : Refuse(
                contentType,
                events,
                "source",
                e => !prefixes.Any(p => e.Source.StartsWith(p, StringComparison.Ordinal)),
                $"this producer may post only sources starting with {string.Join(" or ", prefixes)}");

    /// <summary>One error per event that breaks the rule, named as the content mode names the attribute.</summary>
    private static List<ValidationError> Refuse(
        string? contentType, IReadOnlyList<CloudEvent> events, string attribute, Func<CloudEvent, bool> breaks, string message)
    {
        var mode = HttpBinding.DetectMode(contentType);
        var errors = new List<ValidationError>();
        for (var i = 0; i < events.Count; i++)
        {
            if (breaks(events[i]))
            {
                var field = mode switch
                {
                    HttpContentMode.Batch => $"[{i}].{attribute}",
                    HttpContentMode.Structured => attribute,
                    _ => $"ce-{attribute}",
                };
                errors.Add(new(field, message));
            }
        }

        return errors;
    }

    private static void EnsureJsonFormat(string contentType)
    {
        if (!HttpBinding.IsJsonFormat(contentType))
        {
            throw new UnsupportedFormatException(
                $"'{contentType}' names an event format this gateway does not read; use application/cloudevents+json, application/cloudevents-batch+json, or binary mode");
        }
    }

    /// <summary>
    /// WH-11/WH-12 as a delivery target: consent is <c>WebHook-Allowed-Origin</c> (the origin, or <c>*</c>) with
    /// <c>WebHook-Allowed-Rate</c>; an origin that is not allowed gets no such headers.
    /// </summary>
    private static IResult Handshake(HttpRequest request, HttpResponse response, IngressOptions ingress)
    {
        response.Headers.Allow = "POST, OPTIONS";
        var origin = request.Headers["WebHook-Request-Origin"].ToString();
        if (origin.Length == 0)
        {
            return Problems.Invalid(
                "WebHook-Request-Origin", "the abuse-protection handshake needs this header (WH-11)", "Invalid handshake");
        }

        var allowed = ingress.AllowedOrigins;
        var granted = allowed.Contains("*")
            ? "*"
            : allowed.FirstOrDefault(a => string.Equals(a, origin, StringComparison.OrdinalIgnoreCase));
        if (granted is not null)
        {
            response.Headers["WebHook-Allowed-Origin"] = granted;
            response.Headers["WebHook-Allowed-Rate"] = ingress.AllowedRate;
        }

        return TypedResults.Ok();
    }

    private sealed class UnsupportedFormatException(string message) : Exception(message);
}
