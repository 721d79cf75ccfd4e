using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Kafka;

/// <summary>
/// The <c>KAFKA</c> event source: <c>address</c> <c>kafka://host:port[,host:port…]</c> or a bare bootstrap
/// list, as a sink's; <c>protocolsettings</c> <c>topicname</c> (one topic or an array), <c>consumergroup</c> (default
/// <c>gateway-{id}</c>), <c>startoffset</c> (<c>earliest</c>, the default, or <c>latest</c>: where a new group
/// starts), <c>clientid</c> and <c>tls</c>; <c>credential</c> <c>PLAIN</c> is SASL/PLAIN. Every node runs it: the
/// consumer group spreads the partitions among the nodes.
/// </summary>
public sealed class KafkaSourceBinding(string? libraryPath, OutboundGuard guard) : ISourceBinding
{
    /// <inheritdoc/>
    public string Protocol => "KAFKA";

    /// <inheritdoc/>
    public bool RunsOnEveryNode => true;

    /// <inheritdoc/>
    public void ValidateAndComplete(SourceSpec spec, ICollection<ValidationError> errors)
    {
        if (KafkaLibrary.UnavailableReason(libraryPath) is { } reason)
        {
            errors.Add(new("protocol", $"KAFKA sources cannot run on this gateway: {reason}"));
        }

        if (KafkaSinkSettings.Bootstrap(spec.Address) is not { } bootstrap)
        {
            errors.Add(new("address", "must be kafka://host:port[,host:port…] or a host:port[,host:port…] bootstrap list"));
        }
        else if (KafkaBrokerGuard.RefuseLiteral(guard, bootstrap) is { } refused)
        {
            errors.Add(new("address", refused));
        }

        var settings = spec.Settings;
        foreach (var (name, _) in settings)
        {
            if (name is not ("topicname" or "consumergroup" or "startoffset" or "clientid" or "tls"))
            {
                errors.Add(new($"protocolsettings.{name}", "KAFKA sources take topicname, consumergroup, startoffset, clientid and tls"));
            }
        }

        if (KafkaSourceSettings.ReadTopics(settings["topicname"]) is null)
        {
            errors.Add(new("protocolsettings.topicname", "is required: a topic name or a non-empty array of them (letters, digits, '.', '_', '-')"));
        }

        RequireText(settings["consumergroup"], "protocolsettings.consumergroup", errors);
        RequireText(settings["clientid"], "protocolsettings.clientid", errors);
        if (settings["startoffset"] is { } start
            && (start.GetValueKind() != JsonValueKind.String || start.GetValue<string>() is not ("earliest" or "latest")))
        {
            errors.Add(new("protocolsettings.startoffset", "must be 'earliest' or 'latest'"));
        }

        if (settings["tls"] is { } tls && tls.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors.Add(new("protocolsettings.tls", "must be true or false"));
        }

        if (spec.Credential is { CredentialType: not SinkCredential.Plain } credential)
        {
            errors.Add(new("credential.credentialtype", $"KAFKA takes PLAIN (SASL/PLAIN), not {credential.CredentialType}"));
        }

        settings["consumergroup"] ??= $"gateway-{spec.SourceId}";
        settings["startoffset"] ??= "earliest";
    }

    /// <inheritdoc/>
    public IEventSource CreateSource(SourceSpec spec) => new KafkaEventSource(KafkaSourceSettings.From(spec, guard.Trust), spec.Defaults, guard);

    private static void RequireText(JsonNode? node, string field, ICollection<ValidationError> errors)
    {
        if (node is not null && (node.GetValueKind() != JsonValueKind.String || node.GetValue<string>().Length == 0))
        {
            errors.Add(new(field, "must be a non-empty string"));
        }
    }
}
