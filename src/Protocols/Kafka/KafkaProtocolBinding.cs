using System.Text.Json;
using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Kafka;

/// <summary>
/// The <c>KAFKA</c> protocol: sink <c>kafka://host:port[,host:port…]</c> or a bare bootstrap list;
/// <c>protocolsettings</c> <c>topicname</c> (required), <c>partitionkeyextractor</c>, <c>clientid</c>, <c>acks</c>
/// (or <c>ackmode</c>), <c>contentmode</c> and <c>tls</c>.
/// </summary>
public sealed class KafkaProtocolBinding(string? libraryPath, OutboundGuard guard) : IProtocolBinding, IDisposable
{
    private readonly KafkaProducerPool _producers = new();

    /// <inheritdoc/>
    public string Protocol => "KAFKA";

    /// <inheritdoc/>
    public void ValidateAndComplete(SinkSpec spec, ICollection<ValidationError> errors)
    {
        if (KafkaSinkSettings.Bootstrap(spec.Sink) is not { } bootstrap)
        {
            errors.Add(new("sink", "must be kafka://host:port[,host:port…] or a host:port[,host:port…] bootstrap list (SUB-14)"));
        }
        else if (KafkaBrokerGuard.RefuseLiteral(guard, bootstrap) is { } refused)
        {
            errors.Add(new("sink", refused));
        }

        var settings = spec.Settings;
        foreach (var (name, _) in settings)
        {
            if (name is not ("topicname" or "partitionkeyextractor" or "clientid" or "acks" or "ackmode" or "contentmode" or "tls"))
            {
                errors.Add(new($"protocolsettings.{name}", "KAFKA sinks take topicname, partitionkeyextractor, clientid, acks (ackmode), contentmode and tls"));
            }
        }

        ProtocolSettings.RequireText(settings, "topicname", Protocol, errors);
        if (settings["partitionkeyextractor"] is { } extractor
            && (extractor.GetValueKind() != JsonValueKind.String || extractor.GetValue<string>() != "partitionkey"))
        {
            errors.Add(new("protocolsettings.partitionkeyextractor", "the supported extractor is 'partitionkey': the partitionkey extension becomes the record key (KAFKA-04)"));
        }

        if (KafkaSinkSettings.Acks(settings) is null)
        {
            errors.Add(new("protocolsettings.acks", "must be all (-1), 0 or 1"));
        }

        if (settings["contentmode"] is { } mode
            && (mode.GetValueKind() != JsonValueKind.String || mode.GetValue<string>() is not ("binary" or "structured")))
        {
            errors.Add(new("protocolsettings.contentmode", "must be 'binary' or 'structured'"));
        }

        if (settings["tls"] is { } tls && tls.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors.Add(new("protocolsettings.tls", "must be true or false"));
        }

        if (spec.Credential is { CredentialType: not SinkCredential.Plain } credential)
        {
            errors.Add(new("sinkcredential.credentialtype", $"KAFKA takes PLAIN (SASL/PLAIN), not {credential.CredentialType}"));
        }

        settings["contentmode"] ??= "binary";
    }

    /// <inheritdoc/>
    public IEventSender CreateSender(SinkSpec spec) =>
        KafkaLibrary.UnavailableReason(libraryPath) is { } reason
            ? new UnavailableKafkaSender(reason)
            : new KafkaEventSender(_producers, KafkaSinkSettings.From(spec, guard.Trust), guard);

    /// <inheritdoc/>
    public void Dispose() => _producers.Dispose();
}
