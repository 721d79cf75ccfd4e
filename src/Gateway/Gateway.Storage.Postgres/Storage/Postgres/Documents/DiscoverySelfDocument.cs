namespace Gateway.Storage.Postgres.Documents;

/// <summary>The gateway's own Discovery entry, shared by every node: the one document of its kind.</summary>
internal sealed class DiscoverySelfDocument
{
    /// <summary>The id of the one document of this kind.</summary>
    public const string SingletonId = "self";

    public string Id { get; init; } = SingletonId;

    /// <summary>The service id the gateway announces for itself.</summary>
    public required string ServiceId { get; init; }

    /// <summary>Only goes up (a Service's epoch MUST increase on every update): several nodes save theirs, the highest stays.</summary>
    public long Epoch { get; init; }
}
