using System.Text.Json.Nodes;

namespace Gateway.Protocols.Abstractions;

/// <summary>
/// One delivery protocol, registered by its Subscriptions API name (<c>HTTP</c>, <c>KAFKA</c>, <c>MQTT3</c>,
/// <c>MQTT5</c>, <c>NATS</c>, <c>OPENWHISK</c>). Adding a protocol means one implementation of this contract and one
/// registration.
/// </summary>
public interface IProtocolBinding
{
    /// <summary>The <c>protocol</c> value, compared case-sensitively (SUB-16).</summary>
    string Protocol { get; }

    /// <summary>
    /// Checks <c>sink</c>, <c>protocolsettings</c> and <c>sinkcredential</c> for this protocol (SUB-14), adding every
    /// error; and fills in the defaults a realized subscription shows (SUB-20) into <see cref="SinkSpec.Settings"/>.
    /// </summary>
    void ValidateAndComplete(SinkSpec spec, ICollection<ValidationError> errors);

    /// <summary>Creates the sender for one subscription's sink. The spec passed validation.</summary>
    IEventSender CreateSender(SinkSpec spec);
}

/// <summary>Where and how a subscription's events go.</summary>
/// <param name="SubscriptionId">The subscription the sender serves (for logs and per-subscription state).</param>
/// <param name="Sink">The <c>sink</c> URI as given.</param>
/// <param name="Settings">The <c>protocolsettings</c> object; validation adds defaults to it.</param>
/// <param name="Credential">The <c>sinkcredential</c>, or null.</param>
public sealed record SinkSpec(string SubscriptionId, string Sink, JsonObject Settings, SinkCredential? Credential);

/// <summary>A field that broke a rule, named by its JSON path (<c>protocolsettings.topicname</c>), and why.</summary>
public sealed record ValidationError(string Field, string Message);
