using System.Text.Json.Nodes;
using Gateway.Security;
using Gateway.Sources;

namespace Gateway.Api;

/// <summary>
/// The event sources management API, an extension of this product modelled on the Subscriptions API:
/// <c>GET/POST /sources</c>, <c>GET/DELETE /sources/{id}</c>; <c>id</c> and <c>status</c> are read-only.
/// </summary>
internal static class SourceEndpoints
{
    public static void MapSources(this IEndpointRouteBuilder app)
    {
        // Sources open connections from the gateway to other systems: an operator's business.
        var group = app.MapGroup("/sources").RequireScope(Scopes.Admin);
        group.MapPost("/", CreateAsync);
        group.MapGet("/", (SourceManager manager) => TypedResults.Json(new JsonArray([.. manager.List()])));
        group.MapGet("/{id}", (string id, SourceManager manager) =>
            manager.Get(id) is { } source ? TypedResults.Json(source) : Problems.NotFound(id, "source"));
        group.MapDelete("/{id}", DeleteAsync);
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, SourceManager manager, CancellationToken cancellationToken)
    {
        var (json, problem) = await RequestBody.ReadJsonAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (created, errors) = await manager.CreateAsync(json, cancellationToken);
        if (created is null)
        {
            return Problems.Invalid(errors, "Invalid source");
        }

        var id = created["id"]!.GetValue<string>();
        return TypedResults.Created($"{request.Scheme}://{request.Host}{request.PathBase}/sources/{Uri.EscapeDataString(id)}", created);
    }

    private static async Task<IResult> DeleteAsync(string id, SourceManager manager, CancellationToken cancellationToken)
    {
        var source = manager.Get(id);
        return await manager.DeleteAsync(id, cancellationToken) switch
        {
            SourceDeletion.Deleted => TypedResults.Json(source),
            SourceDeletion.Declared => Problems.Invalid(
                "id", $"source '{id}' is declared in configuration (Gateway:Sources:{id}); remove it there", "Source declared in configuration",
                StatusCodes.Status409Conflict),
            _ => Problems.NotFound(id, "source"),
        };
    }
}
