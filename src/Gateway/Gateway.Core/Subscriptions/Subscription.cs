using System.Text.Json.Nodes;
using Gateway.Protocols.Abstractions;
using Gateway.Security;

namespace Gateway.Subscriptions;

/// <summary>
/// A realized subscription (§6.2): what the client asked for with the defaults filled in. Immutable; an update makes
/// a new one.
/// </summary>
internal sealed record Subscription
{
    /// <summary><c>id</c>: assigned by the gateway, immutable (SUB-03).</summary>
    public required string Id { get; init; }

    /// <summary><c>source</c>, or null.</summary>
    public string? Source { get; init; }

    /// <summary><c>types</c>, or null.</summary>
    public IReadOnlyList<string>? Types { get; init; }

    /// <summary><c>config</c>, or null.</summary>
    public JsonObject? Config { get; init; }

    /// <summary><c>filters</c> as given, or null.</summary>
    public JsonArray? Filters { get; init; }

    /// <summary><c>sink</c>.</summary>
    public required string Sink { get; init; }

    /// <summary><c>protocol</c>.</summary>
    public required string Protocol { get; init; }

    /// <summary><c>protocolsettings</c> with defaults applied (SUB-20).</summary>
    public required JsonObject ProtocolSettings { get; init; }

    /// <summary><c>sinkcredential</c>: stored, never returned (SUB-15).</summary>
    public SinkCredential? Credential { get; init; }

    /// <summary>
    /// The tenant that created it: stored, not part of the API form. Subscriptions from before
    /// tenancy, or made while authentication is off, belong to the tenant "open", which only admins see besides.
    /// </summary>
    public string Owner { get; init; } = GatewayPrincipal.OpenName;

    /// <summary><c>delivery</c>: retries, timeouts and dead letters, defaults applied.</summary>
    public DeliveryPolicy Delivery { get; init; } = DeliveryPolicy.Default;

    /// <summary>The parts a sender needs.</summary>
    public SinkSpec ToSinkSpec() => new(Id, Sink, (JsonObject)ProtocolSettings.DeepClone(), Credential);
}
