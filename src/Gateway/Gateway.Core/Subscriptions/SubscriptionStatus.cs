using System.Text.Json.Nodes;

namespace Gateway.Subscriptions;

/// <summary>The <c>state</c> values of the read-only <c>status</c> object (design.md).</summary>
internal static class SubscriptionStates
{
    public const string PendingValidation = "pending-validation";
    public const string Active = "active";
    public const string ValidationFailed = "validation-failed";
    public const string Disabled = "disabled";
    public const string Paused = "paused";
}

/// <summary>A snapshot of a subscription's health, shown as the read-only <c>status</c> object.</summary>
internal sealed record SubscriptionStatus(
    string State,
    string? Reason = null,
    DateTimeOffset? LastSuccess = null,
    DeliveryFailure? LastFailure = null,
    long ConsecutiveFailures = 0,
    long Backlog = 0,
    DateTimeOffset? OldestWaiting = null)
{
    public static readonly SubscriptionStatus Pending = new(SubscriptionStates.PendingValidation);

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["state"] = State };
        if (Reason is not null)
        {
            json["reason"] = Reason;
        }

        if (LastSuccess is { } success)
        {
            json["lastsuccess"] = success.ToString("O");
        }

        if (LastFailure is { } failure)
        {
            var failureJson = new JsonObject { ["time"] = failure.Time.ToString("O") };
            if (failure.Code is { } code)
            {
                failureJson["code"] = code;
            }

            failureJson["reason"] = failure.Reason;
            json["lastfailure"] = failureJson;
        }

        json["consecutivefailures"] = ConsecutiveFailures;
        json["backlog"] = Backlog;
        if (OldestWaiting is { } oldest)
        {
            json["oldestwaiting"] = oldest.ToString("O");
        }

        return json;
    }
}

/// <summary>The last failed delivery: when, the protocol's code, and why.</summary>
internal sealed record DeliveryFailure(DateTimeOffset Time, int? Code, string Reason);
