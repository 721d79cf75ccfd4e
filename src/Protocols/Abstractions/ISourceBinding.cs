using System.Text.Json.Nodes;

namespace Gateway.Protocols.Abstractions;

/// <summary>
/// One event-source protocol, the mirror image of <see cref="IProtocolBinding"/>: it validates a source's settings
/// and creates the source that turns the protocol's messages into CloudEvents. Registered by its <c>protocol</c>
/// name (<c>KAFKA</c>, <c>MQTT3</c>, <c>MQTT5</c>, <c>NATS</c>, <c>HTTP</c> for polling).
/// </summary>
public interface ISourceBinding
{
    /// <summary>The <c>protocol</c> value, compared case-sensitively like a subscription's.</summary>
    string Protocol { get; }

    /// <summary>
    /// Checks <c>address</c>, <c>protocolsettings</c> and <c>credential</c>, adding every error with its JSON path; and
    /// fills in the defaults the realized source shows into <see cref="SourceSpec.Settings"/>.
    /// </summary>
    void ValidateAndComplete(SourceSpec spec, ICollection<ValidationError> errors);

    /// <summary>
    /// True when every gateway node may read the source at once because the protocol spreads its messages among them
    /// (a Kafka consumer group, an MQTT shared subscription, a NATS queue group, a JetStream durable consumer); false
    /// when one node must do the reading (an HTTP poll).
    /// </summary>
    bool RunsOnEveryNode { get; }

    /// <summary>Creates the source. The spec passed validation.</summary>
    IEventSource CreateSource(SourceSpec spec);
}

/// <summary>Where a source reads from and how it names what it reads.</summary>
/// <param name="SourceId">The source's id (for logs, consumer names and wrapped events' ids).</param>
/// <param name="Address">The broker URI (<c>kafka://host:port</c>, <c>mqtt://…</c>, <c>nats://…</c>) or the URL to poll.</param>
/// <param name="Settings">The <c>protocolsettings</c> object; validation adds defaults to it.</param>
/// <param name="Credential">The <c>credential</c> (the shape of a subscription's <c>sinkcredential</c>), or null.</param>
/// <param name="Defaults">The attributes of events made from messages that are not CloudEvents.</param>
public sealed record SourceSpec(string SourceId, string Address, JsonObject Settings, SinkCredential? Credential, SourceDefaults Defaults);

/// <summary>The <c>defaults</c> of a source: <c>type</c> and <c>source</c> (required), <c>datacontenttype</c> (optional).</summary>
public sealed record SourceDefaults(string Type, string Source, string? DataContentType);
