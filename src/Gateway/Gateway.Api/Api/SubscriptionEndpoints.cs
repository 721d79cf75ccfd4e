using System.Text.Json.Nodes;
using Gateway.Delivery;
using Gateway.Protocols.CloudEvents.Json;
using Gateway.Security;
using Gateway.Subscriptions;

namespace Gateway.Api;

/// <summary>The Subscriptions API over HTTP, as the OpenAPI contract maps it (§6.5).</summary>
internal static class SubscriptionEndpoints
{
    public static void MapSubscriptions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/subscriptions");
        group.MapPost("/", CreateAsync).RequireScope(Scopes.SubscriptionsWrite);
        group.MapGet("/", ListAsync).RequireScope(Scopes.SubscriptionsRead);
        group.MapMethods("/", ["OPTIONS"], (HttpResponse response) => Allow(response, "GET, POST, OPTIONS"));
        group.MapGet("/{id}", GetAsync).RequireScope(Scopes.SubscriptionsRead);
        group.MapPut("/{id}", UpdateAsync).RequireScope(Scopes.SubscriptionsWrite);
        group.MapDelete("/{id}", DeleteAsync).RequireScope(Scopes.SubscriptionsWrite);
        group.MapMethods("/{id}", ["OPTIONS"], (HttpResponse response) => Allow(response, "GET, PUT, DELETE, OPTIONS"));
        group.MapGet("/{id}/deadletters", ListDeadLettersAsync).RequireScope(Scopes.SubscriptionsRead);
        group.MapPost("/{id}/deadletters/redrive", RedriveAsync).RequireScope(Scopes.SubscriptionsWrite);
    }

    private static async Task<IResult> ListAsync(Caller caller, SubscriptionManager manager, CancellationToken cancellationToken) =>
        TypedResults.Json(new JsonArray([.. (await manager.ListAsync(caller, cancellationToken)).Select(v => v.ToJson())]));

    /// <summary>Another tenant's subscription is a 404, as if it did not exist.</summary>
    private static async Task<IResult> GetAsync(string id, Caller caller, SubscriptionManager manager, CancellationToken cancellationToken) =>
        await manager.GetAsync(id, caller, cancellationToken) is { } view ? TypedResults.Json(view.ToJson()) : Problems.NotFound(id);

    /// <summary>The stored dead letters: <c>{event, reason, code, attempts, time}</c>, the event in the JSON format
    /// with its <c>deadletter*</c> attributes.</summary>
    private static async Task<IResult> ListDeadLettersAsync(string id, Caller caller, SubscriptionManager manager, CancellationToken cancellationToken)
    {
        if (await manager.DeadLettersAsync(id, caller, cancellationToken) is not { } letters)
        {
            return Problems.NotFound(id);
        }

        var array = new JsonArray();
        foreach (var letter in letters)
        {
            var entry = new JsonObject
            {
                ["event"] = JsonNode.Parse(JsonEventFormat.ToUtf8Bytes(DeadLetters.ToEvent(letter))),
                ["reason"] = letter.Reason,
                ["code"] = letter.Code,
                ["attempts"] = letter.Attempts,
                ["time"] = letter.Time.ToString("O"),
            };
            if (letter.Error is not null)
            {
                entry["error"] = letter.Error;
            }

            array.Add(entry);
        }

        return TypedResults.Json(array);
    }

    private static async Task<IResult> RedriveAsync(string id, Caller caller, SubscriptionManager manager, CancellationToken cancellationToken) =>
        await manager.RedriveAsync(id, caller, cancellationToken) is { } count
            ? TypedResults.Json(new JsonObject { ["redriven"] = count }, statusCode: StatusCodes.Status202Accepted)
            : Problems.NotFound(id);

    private static async Task<IResult> CreateAsync(HttpRequest request, Caller caller, SubscriptionManager manager, CancellationToken cancellationToken)
    {
        var (json, problem) = await RequestBody.ReadJsonAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var result = await manager.CreateAsync(json, caller, cancellationToken);
        if (result.View is not { } view)
        {
            return Problems.Invalid(result.Errors, "Invalid subscription");
        }

        var location = $"{request.Scheme}://{request.Host}{request.PathBase}/subscriptions/{Uri.EscapeDataString(view.Subscription.Id)}";
        return TypedResults.Created(location, view.ToJson());
    }

    private static async Task<IResult> UpdateAsync(
        string id, HttpRequest request, Caller caller, SubscriptionManager manager, CancellationToken cancellationToken)
    {
        var (json, problem) = await RequestBody.ReadJsonAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var result = await manager.UpdateAsync(id, json, caller, cancellationToken);
        return result switch
        {
            { IsNotFound: true } => Problems.NotFound(id),
            { View: { } view } => TypedResults.Json(view.ToJson()),
            _ => Problems.Invalid(result.Errors, "Invalid subscription"),
        };
    }

    private static async Task<IResult> DeleteAsync(string id, Caller caller, SubscriptionManager manager, CancellationToken cancellationToken) =>
        await manager.DeleteAsync(id, caller, cancellationToken) is { } deleted
            ? TypedResults.Json(deleted.ToJson())
            : Problems.NotFound(id);

    private static Microsoft.AspNetCore.Http.HttpResults.Ok Allow(HttpResponse response, string methods)
    {
        response.Headers.Allow = methods;
        return TypedResults.Ok();
    }
}
