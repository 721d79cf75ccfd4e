using System.Text.Json.Nodes;

namespace Gateway.Storage;

/// <summary>Discovery data: the gateway's own identity, the services producers registered, the event types learned.</summary>
internal interface IDiscoveryStore
{
    /// <summary>Everything stored; creates the gateway's own id on first use, so it stays the same across restarts.</summary>
    Task<DiscoveryState> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Stores and removes registered services in one transaction (§9.1: management calls are atomic).</summary>
    Task SaveServicesAsync(IReadOnlyList<JsonObject> upserts, IReadOnlyList<string> deletes, CancellationToken cancellationToken);

    /// <summary>Replaces the learned event types and the epoch of the gateway's own entry.</summary>
    Task SaveSelfAsync(long epoch, IReadOnlyList<KnownEventType> events, CancellationToken cancellationToken);
}

/// <summary>What the discovery store holds.</summary>
internal sealed record DiscoveryState(string SelfId, long SelfEpoch, IReadOnlyList<JsonObject> Services, IReadOnlyList<KnownEventType> Events);

/// <summary>An event type seen at ingress, with the content type and schema it came with, and when it was last seen.</summary>
internal sealed record KnownEventType(string Type, string? DataContentType, string? DataSchema, long LastSeen);
