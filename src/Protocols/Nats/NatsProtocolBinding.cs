using System.Text.Json;
using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Nats;

/// <summary>
/// The <c>NATS</c> protocol: sink <c>nats://host:port</c> (or <c>tls://</c>), <c>protocolsettings</c>
/// <c>subject</c> (required), <c>contentmode</c> (<c>binary</c> | <c>structured</c>) and <c>jetstream</c>.
/// </summary>
public sealed class NatsProtocolBinding(OutboundGuard guard) : IProtocolBinding
{
    /// <inheritdoc/>
    public string Protocol => "NATS";

    /// <inheritdoc/>
    public void ValidateAndComplete(SinkSpec spec, ICollection<ValidationError> errors)
    {
        if (!NatsAddress.IsValid(spec.Sink))
        {
            errors.Add(new("sink", "must be nats://host:port or tls://host:port (SUB-14)"));
        }
        else if (guard.RefuseLiteral(NatsAddress.Host(spec.Sink)) is { } refused)
        {
            errors.Add(new("sink", refused));
        }

        var settings = spec.Settings;
        foreach (var (name, _) in settings)
        {
            if (name is not ("subject" or "contentmode" or "jetstream"))
            {
                errors.Add(new($"protocolsettings.{name}", "NATS sinks take subject, contentmode and jetstream"));
            }
        }

        ProtocolSettings.RequireText(settings, "subject", Protocol, errors);
        if (settings["subject"] is { } subject && subject.GetValueKind() == JsonValueKind.String
            && subject.GetValue<string>().Any(c => c is '*' or '>' || char.IsWhiteSpace(c)))
        {
            errors.Add(new("protocolsettings.subject", "a publish subject has no wildcards and no white space"));
        }

        if (settings["contentmode"] is { } mode
            && (mode.GetValueKind() != JsonValueKind.String || mode.GetValue<string>() is not ("binary" or "structured")))
        {
            errors.Add(new("protocolsettings.contentmode", "must be 'binary' or 'structured'"));
        }

        if (settings["jetstream"] is { } jetStream && jetStream.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors.Add(new("protocolsettings.jetstream", "must be true or false"));
        }

        if (spec.Credential is { CredentialType: not (SinkCredential.Plain or SinkCredential.AccessTokenType) } credential)
        {
            errors.Add(new("sinkcredential.credentialtype", $"NATS takes PLAIN (user/password) or ACCESSTOKEN (token), not {credential.CredentialType}"));
        }

        settings["contentmode"] ??= "binary";
        settings["jetstream"] ??= false;
    }

    /// <inheritdoc/>
    public IEventSender CreateSender(SinkSpec spec)
    {
        return new NatsEventSender(
            NatsAddress.Options(spec.Sink, spec.Credential, guard),
            spec.Settings["subject"]!.GetValue<string>(),
            spec.Settings["contentmode"]!.GetValue<string>() == "structured",
            spec.Settings["jetstream"]!.GetValue<bool>(),
            guard);
    }
}
