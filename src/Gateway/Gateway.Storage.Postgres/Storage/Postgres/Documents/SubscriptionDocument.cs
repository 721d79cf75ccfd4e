using System.Text.Json;

namespace Gateway.Storage.Postgres.Documents;

/// <summary>A subscription as a Marten document: its stored JSON (secrets included) and the state kept beside it.</summary>
internal sealed class SubscriptionDocument
{
    public required string Id { get; init; }

    /// <summary>The subscription as <see cref="Subscriptions.SubscriptionJson.ToStored"/> writes it.</summary>
    public required JsonElement Subscription { get; init; }

    public string? DisabledReason { get; init; }

    public bool Paused { get; init; }

    public DateTimeOffset StateChanged { get; init; }

    /// <summary>Where it comes in the order of adding (<see cref="GatewayDocuments.NextOrderAsync"/>).</summary>
    public long Order { get; init; }
}
