using System.Text.Json.Nodes;

namespace Gateway.Storage.Postgres.Documents;

/// <summary>A service a producer registered through the Discovery API, as a Marten document.</summary>
internal sealed class ServiceDocument
{
    public required string Id { get; init; }

    /// <summary>The Discovery API's service entry, as registered.</summary>
    public required JsonObject Service { get; init; }
}
