using System.Text.Json.Nodes;
using System.Xml;
using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Nats;

/// <summary>
/// The <c>NATS</c> source: <c>address</c> <c>nats://host:port</c> (or <c>tls://</c>); <c>protocolsettings</c> either
/// <c>subject</c> and <c>queuegroup</c> (core NATS, at most once), or <c>stream</c>, <c>durable</c>, an optional
/// <c>subject</c> filter and <c>ackwait</c> (a JetStream durable pull consumer, at least once); <c>credential</c>
/// <c>PLAIN</c> (user and password) or <c>ACCESSTOKEN</c> (token), as for NATS sinks.
/// </summary>
public sealed class NatsSourceBinding(OutboundGuard guard) : ISourceBinding
{
    private static readonly TimeSpan DefaultAckWait = TimeSpan.FromSeconds(30);

    /// <inheritdoc/>
    public string Protocol => "NATS";

    /// <inheritdoc/>
    public bool RunsOnEveryNode => true;

    /// <inheritdoc/>
    public void ValidateAndComplete(SourceSpec spec, ICollection<ValidationError> errors)
    {
        if (!NatsAddress.IsValid(spec.Address))
        {
            errors.Add(new("address", "must be nats://host:port or tls://host:port"));
        }
        else if (guard.RefuseLiteral(NatsAddress.Host(spec.Address)) is { } refused)
        {
            errors.Add(new("address", refused));
        }

        var settings = spec.Settings;
        foreach (var (name, _) in settings.Where(s => s.Key is not ("subject" or "queuegroup" or "stream" or "durable" or "ackwait")))
        {
            errors.Add(new($"protocolsettings.{name}", "NATS sources take subject and queuegroup (core NATS), or stream, durable, subject and ackwait (JetStream)"));
        }

        var subject = ProtocolSettings.Text(settings, "subject", errors);
        if (subject is not null && !NatsSubjects.IsValidFilter(subject))
        {
            errors.Add(new("protocolsettings.subject", "must be a subject of tokens separated by '.', without white space; '*' and a last '>' are wildcards"));
        }

        if (settings["stream"] is null)
        {
            CompleteCore(spec, errors);
        }
        else
        {
            CompleteJetStream(settings, errors);
        }

        if (spec.Credential is { CredentialType: not (SinkCredential.Plain or SinkCredential.AccessTokenType) } credential)
        {
            errors.Add(new("credential.credentialtype", $"NATS takes PLAIN (user/password) or ACCESSTOKEN (token), not {credential.CredentialType}"));
        }
    }

    /// <inheritdoc/>
    public IEventSource CreateSource(SourceSpec spec)
    {
        var options = NatsAddress.Options(spec.Address, spec.Credential, guard);
        var settings = spec.Settings;
        var subject = settings["subject"]?.GetValue<string>();
        if (settings["stream"] is { } stream)
        {
            var jetStream = new JetStreamSourceSettings(
                stream.GetValue<string>(), settings["durable"]!.GetValue<string>(), subject, XmlConvert.ToTimeSpan(settings["ackwait"]!.GetValue<string>()));
            return new NatsJetStreamSource(options, jetStream, spec.Defaults);
        }

        return new NatsCoreSource(options, subject!, settings["queuegroup"]!.GetValue<string>(), spec.Defaults);
    }

    private static void CompleteCore(SourceSpec spec, ICollection<ValidationError> errors)
    {
        var settings = spec.Settings;
        if (settings["subject"] is null)
        {
            errors.Add(new("protocolsettings.subject", "is required (or stream and durable for JetStream)"));
        }

        foreach (var (name, _) in settings.Where(s => s.Key is "durable" or "ackwait"))
        {
            errors.Add(new($"protocolsettings.{name}", "belongs to a JetStream source, which also names its stream"));
        }

        // Several gateway nodes in one queue group share the messages: each goes to one of them.
        settings["queuegroup"] ??= $"gateway-{spec.SourceId}";
        if (ProtocolSettings.Text(settings, "queuegroup", errors) is { } group && !NatsSubjects.IsValidToken(group))
        {
            errors.Add(new("protocolsettings.queuegroup", "must be a name without white space, '.', '*' or '>'"));
        }
    }

    private static void CompleteJetStream(JsonObject settings, ICollection<ValidationError> errors)
    {
        if (ProtocolSettings.Text(settings, "stream", errors) is { } stream && !NatsSubjects.IsValidName(stream))
        {
            errors.Add(new("protocolsettings.stream", "must be a stream name without white space, '.', '*', '>', '/' or '\\'"));
        }

        if (settings["durable"] is null)
        {
            errors.Add(new("protocolsettings.durable", "is required with stream: the name of the durable pull consumer the nodes share"));
        }
        else if (ProtocolSettings.Text(settings, "durable", errors) is { } durable && !NatsSubjects.IsValidName(durable))
        {
            errors.Add(new("protocolsettings.durable", "must be a consumer name without white space, '.', '*', '>', '/' or '\\'"));
        }

        if (settings["queuegroup"] is not null)
        {
            errors.Add(new("protocolsettings.queuegroup", "belongs to core NATS; a JetStream durable consumer shares its messages among the nodes itself"));
        }

        settings["ackwait"] ??= XmlConvert.ToString(DefaultAckWait);
        if (ProtocolSettings.Duration(settings["ackwait"]!, TimeSpan.FromSeconds(1), TimeSpan.MaxValue) is null)
        {
            errors.Add(new("protocolsettings.ackwait", "must be an ISO-8601 duration of at least PT1S, e.g. PT30S"));
        }
    }
}
