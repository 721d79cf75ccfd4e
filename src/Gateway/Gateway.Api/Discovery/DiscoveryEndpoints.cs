using System.Globalization;
using System.Text.Json.Nodes;
using Gateway.Api;
using Gateway.Delivery;
using Gateway.Filters;
using Gateway.Protocols.Abstractions;
using Gateway.Security;
using Gateway.Timers;

namespace Gateway.Discovery;

/// <summary>The legacy Discovery v0.1 Service API (§9.1), with the gateway listing itself first.</summary>
internal static class DiscoveryEndpoints
{
    public static void MapDiscovery(this IEndpointRouteBuilder app)
    {
        app.MapGet("/features", () => TypedResults.Json(new JsonObject
        {
            ["servicefilterattributes"] = new JsonArray([.. ServiceFilter.Attributes.Select(a => (JsonNode)a)]),
            ["pagination"] = false,
            ["update"] = true,
        })).RequireScope(Scopes.SubscriptionsRead);
        app.MapGet("/services", List).RequireScope(Scopes.SubscriptionsRead);
        app.MapGet("/services/{id}", (string id, HttpRequest request, DiscoveryView view) =>
            view.Find(id, BaseUrl(request)) is { } service ? TypedResults.Json(service) : Problems.NotFound(id, "service"))
            .RequireScope(Scopes.SubscriptionsRead);
        // Registering a service speaks for it to every subscriber: an operator's business.
        app.MapPost("/services", RegisterAsync).RequireScope(Scopes.Admin);
        app.MapPut("/services/{id}", ReplaceAsync).RequireScope(Scopes.Admin);
        app.MapDelete("/services/{id}", DeleteAsync).RequireScope(Scopes.Admin);
    }

    private static IResult List(HttpRequest request, DiscoveryView view)
    {
        var (filter, unsupported) = ServiceFilter.Parse(request.Query["filter"]);
        if (filter is null)
        {
            return Problems.Invalid("filter", $"services cannot be filtered by '{unsupported}'; GET /features lists the attributes", "Unsupported filter");
        }

        return TypedResults.Json(new JsonArray([.. view.All(BaseUrl(request)).Where(filter.Matches)]));
    }

    /// <summary>POST /services: an array of services, created or replaced all or nothing.</summary>
    private static async Task<IResult> RegisterAsync(HttpRequest request, DiscoveryView view, CancellationToken cancellationToken)
    {
        var (json, problem) = await RequestBody.ReadJsonAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (json is not JsonArray array)
        {
            return Problems.Invalid("$", "POST /services takes a JSON array of services (§9.1)", "Invalid services");
        }

        return Answer(await view.UpsertAsync([.. array], null, cancellationToken), BaseUrl(request), single: false);
    }

    /// <summary>PUT /services/{id}: an upsert; read-only members such as url are ignored.</summary>
    private static async Task<IResult> ReplaceAsync(string id, HttpRequest request, DiscoveryView view, CancellationToken cancellationToken)
    {
        var (json, problem) = await RequestBody.ReadJsonAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return Answer(await view.UpsertAsync([json], id, cancellationToken), BaseUrl(request), single: true);
    }

    /// <summary>DELETE /services/{id}[?epoch=N]: idempotent; a body never causes an error.</summary>
    private static async Task<IResult> DeleteAsync(string id, HttpRequest request, DiscoveryView view, CancellationToken cancellationToken)
    {
        long? epoch = null;
        if (request.Query["epoch"].ToString() is { Length: > 0 } text)
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return Problems.Invalid("epoch", "must be an unsigned integer", "Invalid epoch");
            }

            epoch = parsed;
        }

        var existing = view.Find(id, BaseUrl(request));
        return await view.DeleteAsync(id, epoch, cancellationToken) switch
        {
            DeleteOutcome.ReadOnly => Problems.Invalid("id", "the gateway's own entry is read-only", "Read-only service"),
            DeleteOutcome.Conflict => Problems.Invalid("epoch", "must be greater than the service's current epoch", "Epoch conflict", StatusCodes.Status409Conflict),
            _ => TypedResults.Json(existing ?? new JsonObject { ["id"] = id }),
        };
    }

    private static IResult Answer(
        (IReadOnlyList<JsonObject>? Stored, List<ValidationError> Errors, bool Conflict) result, string baseUrl, bool single)
    {
        if (result.Stored is not { } stored)
        {
            return Problems.Invalid(result.Errors, result.Conflict ? "Epoch conflict" : "Invalid service",
                result.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);
        }

        var rendered = stored.Select(s => DiscoveryView.Render(s, baseUrl)).ToArray();
        return single ? TypedResults.Json(rendered[0]) : TypedResults.Json(new JsonArray(rendered));
    }

    private static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";
}

/// <summary>What a delete came to.</summary>
internal enum DeleteOutcome
{
    Deleted,
    Conflict,
    ReadOnly,
}

/// <summary>The catalogue as the API shows it: the gateway's own entry, then the registered services.</summary>
internal sealed class DiscoveryView(ServiceCatalog services, EventCatalog events, ProtocolRegistry protocols, FilterCompiler filters, DiscoveryOptions options)
{
    public IEnumerable<JsonObject> All(string baseUrl) =>
        services.Services.OrderBy(s => s["id"]!.GetValue<string>(), StringComparer.Ordinal)
            .Select(s => Render(s, baseUrl)).Prepend(Self(baseUrl));

    public JsonObject? Find(string id, string baseUrl) =>
        id == services.SelfId ? Self(baseUrl) : services.Find(id) is { } service ? Render(service, baseUrl) : null;

    public async Task<(IReadOnlyList<JsonObject>? Stored, List<ValidationError> Errors, bool Conflict)> UpsertAsync(
        IReadOnlyList<JsonNode?> bodies, string? pathId, CancellationToken cancellationToken)
    {
        var result = await services.UpsertAsync(bodies, pathId, cancellationToken);
        if (result.Stored is { Count: > 0 })
        {
            // The gateway's own entry lists the registered services' event types too.
            events.Changed();
        }

        return result;
    }

    public async Task<DeleteOutcome> DeleteAsync(string id, long? epoch, CancellationToken cancellationToken)
    {
        if (id == services.SelfId)
        {
            return DeleteOutcome.ReadOnly;
        }

        var existed = services.Find(id) is not null;
        if (!await services.DeleteAsync(id, epoch, cancellationToken))
        {
            return DeleteOutcome.Conflict;
        }

        if (existed)
        {
            events.Changed();
        }

        return DeleteOutcome.Deleted;
    }

    /// <summary>A registered service with its server-defined <c>url</c> (ends with <c>/services/{id}</c>).</summary>
    public static JsonObject Render(JsonObject service, string baseUrl)
    {
        var rendered = (JsonObject)service.DeepClone();
        rendered["url"] = $"{baseUrl}/services/{Uri.EscapeDataString(service["id"]!.GetValue<string>())}";
        return rendered;
    }

    private JsonObject Self(string baseUrl)
    {
        var known = new JsonArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var learned in events.Snapshot())
        {
            seen.Add(learned.Type);
            var definition = new JsonObject { ["type"] = learned.Type };
            if (learned.DataContentType is not null)
            {
                definition["datacontenttype"] = learned.DataContentType;
            }

            if (learned.DataSchema is not null)
            {
                definition["dataschema"] = learned.DataSchema;
            }

            known.Add(definition);
        }

        foreach (var registered in services.Services.SelectMany(s => s["events"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (seen.Add(registered["type"]!.GetValue<string>()))
            {
                known.Add(registered.DeepClone());
            }
        }

        return new JsonObject
        {
            ["id"] = services.SelfId,
            ["name"] = options.Name,
            ["epoch"] = events.Epoch,
            ["url"] = $"{baseUrl}/services/{services.SelfId}",
            ["description"] = "CloudEvents subscription gateway: subscribe here to events from any of its sources",
            ["specversions"] = new JsonArray("1.0"),
            ["subscriptionurl"] = $"{baseUrl}/subscriptions",
            ["protocols"] = new JsonArray([.. protocols.Names.Select(p => (JsonNode)p)]),
            ["subscriptionconfig"] = new JsonObject(TimerConfig.Advertised.Select(k => KeyValuePair.Create(k.Key, (JsonNode?)k.Value))),
            ["subscriptiondialects"] = new JsonArray([.. filters.DialectNames.Order(StringComparer.Ordinal).Select(d => (JsonNode)d)]),
            ["events"] = known,
        };
    }
}
