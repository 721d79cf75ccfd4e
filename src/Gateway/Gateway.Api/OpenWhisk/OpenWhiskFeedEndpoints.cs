using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Api;
using Gateway.Delivery;
using Gateway.Protocols.OpenWhisk;
using Gateway.Security;
using Gateway.Subscriptions;

namespace Gateway.OpenWhisk;

/// <summary>
/// <c>POST /openwhisk/feed</c>: the generic feed provider. The feed action forwards each lifecycle call here, and each
/// trigger becomes a subscription with the id <c>openwhisk:{namespace}:{trigger}</c> that fires it.
/// </summary>
internal static class OpenWhiskFeedEndpoints
{
    public static void MapOpenWhiskFeed(this IEndpointRouteBuilder app) =>
        app.MapPost("/openwhisk/feed", HandleAsync).RequireScope(Scopes.SubscriptionsWrite);

    private static async Task<IResult> HandleAsync(
        HttpRequest request, Caller caller, SubscriptionManager subscriptions, OpenWhiskProtocolBinding openWhisk,
        OpenWhiskFeedOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (options.FeedSecret is { Length: > 0 } secret
            && !FixedTimeEquals(request.Headers["X-Feed-Secret"].ToString(), secret))
        {
            return Error(HttpStatusCode.Unauthorized, "the X-Feed-Secret header does not match Gateway:OpenWhisk:FeedSecret");
        }

        var (body, problem) = await RequestBody.ReadJsonAsync(request, cancellationToken);
        if (problem is not null)
        {
            return Error(HttpStatusCode.BadRequest, "the body is not JSON");
        }

        var (feed, error) = FeedRequest.Parse(body, time.GetUtcNow());
        if (feed is null)
        {
            return Error(HttpStatusCode.BadRequest, error!);
        }

        if (feed.LifecycleEvent == "CREATE")
        {
            return await CreateAsync(feed, caller, subscriptions, openWhisk, cancellationToken);
        }

        var worker = subscriptions.Find(feed.SubscriptionId, caller);
        if (worker is null)
        {
            // DELETE of a feed that is already gone succeeds, so that deleting a trigger always works.
            return feed.LifecycleEvent == "DELETE"
                ? TypedResults.Json(new JsonObject())
                : Error(HttpStatusCode.NotFound, $"the trigger {feed.Trigger.Namespace}/{feed.Trigger.Name} has no feed here");
        }

        if (!OwnsFeed(feed, worker.Subscription))
        {
            return Error(HttpStatusCode.Unauthorized, "the authKey is not the key this feed was created with");
        }

        return feed.LifecycleEvent switch
        {
            "READ" => TypedResults.Json(Describe(feed, worker)),
            "UPDATE" => await UpdateAsync(feed, worker, caller, subscriptions, cancellationToken),
            "DELETE" => await subscriptions.DeleteAsync(feed.SubscriptionId, caller, cancellationToken) is not null
                ? TypedResults.Json(new JsonObject())
                : Error(HttpStatusCode.NotFound, "the feed is gone"),
            _ => await subscriptions.SetPausedAsync(feed.SubscriptionId, feed.LifecycleEvent == "PAUSE", cancellationToken)
                ? TypedResults.Json(Describe(feed, subscriptions.Find(feed.SubscriptionId, caller)!))
                : Error(HttpStatusCode.NotFound, "the feed is gone"),
        };
    }

    /// <summary>CREATE: the key must own the trigger (a GET on it, as the pluggable provider does).</summary>
    private static async Task<IResult> CreateAsync(
        FeedRequest feed, Caller caller, SubscriptionManager subscriptions, OpenWhiskProtocolBinding openWhisk, CancellationToken cancellationToken)
    {
        using var check = new HttpRequestMessage(HttpMethod.Get, feed.Trigger.Url);
        check.Headers.Authorization = OpenWhiskAuth.Basic(feed.Uuid, feed.Key);
        HttpStatusCode status;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(openWhisk.Options.Timeout);
            using var response = await openWhisk.Client.SendAsync(check, timeout.Token);
            status = response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return Error(HttpStatusCode.BadRequest, $"OpenWhisk at {feed.Trigger.ApiHost} could not be reached to check the key: {ex.Message}");
        }

        if (status != HttpStatusCode.OK)
        {
            return status is HttpStatusCode.NotFound
                ? Error(HttpStatusCode.NotFound, $"OpenWhisk has no trigger {feed.Trigger.Namespace}/{feed.Trigger.Name}")
                : Error(HttpStatusCode.Unauthorized, $"OpenWhisk answered {(int)status}: the key does not own the trigger");
        }

        var result = await subscriptions.CreateAsync(feed.ToSubscription(), caller, cancellationToken, feed.SubscriptionId);
        return result switch
        {
            { IsConflict: true } => Error(HttpStatusCode.Conflict, "the trigger already has a feed; DELETE it first or UPDATE it"),
            { View: { } view } => TypedResults.Json(new JsonObject { ["id"] = view.Subscription.Id }),
            _ => Error(HttpStatusCode.BadRequest, "invalid feed parameters",
                string.Join("; ", result.Errors.Select(e => $"{e.Field}: {e.Message}"))),
        };
    }

    /// <summary>UPDATE: new feed parameters; a disabled trigger is refused, as the providers do.</summary>
    private static async Task<IResult> UpdateAsync(
        FeedRequest feed, SubscriptionWorker worker, Caller caller, SubscriptionManager subscriptions, CancellationToken cancellationToken)
    {
        if (worker.Status.State == SubscriptionStates.Disabled)
        {
            return Error(HttpStatusCode.BadRequest, "the trigger is disabled", worker.Status.Reason);
        }

        var result = await subscriptions.UpdateAsync(feed.SubscriptionId, feed.ToSubscription(worker.Subscription.Config), caller, cancellationToken);
        return result.View is not null
            ? TypedResults.Json(Describe(feed, worker))
            : Error(HttpStatusCode.BadRequest, "invalid feed parameters", string.Join("; ", result.Errors.Select(e => $"{e.Field}: {e.Message}")));
    }

    /// <summary>READ: the feed's configuration and status, never the key.</summary>
    private static JsonObject Describe(FeedRequest feed, SubscriptionWorker worker)
    {
        var subscription = worker.Subscription;
        var config = new JsonObject
        {
            ["namespace"] = feed.Trigger.Namespace,
            ["name"] = feed.Trigger.Name,
            ["payload"] = subscription.ProtocolSettings["payload"]?.DeepClone(),
        };
        if (subscription.Types is { } types)
        {
            config["types"] = new JsonArray([.. types.Select(t => (JsonNode)t)]);
        }

        if (subscription.Source is { } source)
        {
            config["source"] = source;
        }

        if (subscription.Filters is { } filters)
        {
            config["filters"] = filters.DeepClone();
        }

        if (subscription.Config is { } timer)
        {
            AlarmParameters.Describe(timer, config);
        }

        var status = worker.Status;
        var changed = worker.StateChanged;
        var statusJson = new JsonObject
        {
            ["active"] = status.State is not (SubscriptionStates.Paused or SubscriptionStates.Disabled),
            ["state"] = status.State,
            ["dateChanged"] = changed.ToUnixTimeMilliseconds(),
            ["dateChangedISO"] = changed.ToString("O"),
        };
        if (status.State == SubscriptionStates.Disabled && status.Reason is { } reason)
        {
            statusJson["reason"] = new JsonObject { ["kind"] = "AUTO", ["statusCode"] = status.LastFailure?.Code, ["message"] = reason };
        }

        return new JsonObject { ["config"] = config, ["status"] = statusJson };
    }

    private static bool OwnsFeed(FeedRequest feed, Subscription subscription) =>
        subscription.Credential is { Identifier: { } uuid, Secret: { } key }
        && FixedTimeEquals(feed.Uuid, uuid) && FixedTimeEquals(feed.Key, key);

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    /// <summary>Errors as the CLI shows them: <c>{"error", "message"?}</c> with a 4xx.</summary>
    private static Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<JsonObject> Error(HttpStatusCode status, string error, string? message = null)
    {
        var body = new JsonObject { ["error"] = error };
        if (message is not null)
        {
            body["message"] = message;
        }

        return TypedResults.Json(body, statusCode: (int)status);
    }
}

/// <summary><c>Gateway:OpenWhisk:*</c> settings.</summary>
internal sealed record OpenWhiskFeedOptions(string? FeedSecret);
