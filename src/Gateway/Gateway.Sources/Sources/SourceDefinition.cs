using System.Text.Json.Nodes;
using Gateway.Protocols.Abstractions;

namespace Gateway.Sources;

/// <summary>
/// An event source as an operator declared it (a source object mirrors a subscription): where it reads,
/// how, with which credential, and what to call messages that are not CloudEvents.
/// </summary>
internal sealed record SourceDefinition(
    string Id,
    string Protocol,
    string Address,
    JsonObject Settings,
    SinkCredential? Credential,
    SourceDefaults Defaults,
    bool Declared)
{
    /// <summary>What the binding works with.</summary>
    public SourceSpec Spec => new(Id, Address, Settings, Credential, Defaults);
}
