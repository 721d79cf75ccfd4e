using System.Text.Json;

namespace Gateway.Storage.Postgres.Documents;

/// <summary>A source declared through <c>/sources</c>, as a Marten document, with the state it keeps between runs.</summary>
internal sealed class SourceDocument
{
    public required string Id { get; init; }

    /// <summary>The source's document as the API stored it (credential included).</summary>
    public required JsonElement Source { get; init; }

    public string? State { get; init; }

    /// <summary>Where it comes in the order of adding (<see cref="GatewayDocuments.NextOrderAsync"/>).</summary>
    public long Order { get; init; }
}
