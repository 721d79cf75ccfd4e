namespace Gateway.Security;

/// <summary>What a principal may do. <see cref="Admin"/> implies every other scope.</summary>
internal static class Scopes
{
    /// <summary>List and read subscriptions, their dead letters, and the Discovery API.</summary>
    public const string SubscriptionsRead = "subscriptions:read";

    /// <summary>Create, change and delete subscriptions, redrive dead letters, manage OpenWhisk feeds.</summary>
    public const string SubscriptionsWrite = "subscriptions:write";

    /// <summary>Post events to <c>/events</c>.</summary>
    public const string EventsWrite = "events:write";

    /// <summary>Everything, including sources and registered services, and every tenant's resources.</summary>
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [SubscriptionsRead, SubscriptionsWrite, EventsWrite, Admin];
}
