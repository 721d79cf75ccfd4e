using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Mqtt;

/// <summary>
/// <c>MQTT3</c> and <c>MQTT5</c>: sink <c>mqtt://host:port</c> or <c>mqtts://</c>; <c>protocolsettings</c>
/// <c>topicname</c> (required), <c>qos</c> (1), <c>retain</c> (false), and for MQTT 5 <c>expiry</c>,
/// <c>userproperties</c> and <c>contentmode</c> (binary).
/// </summary>
public sealed class MqttProtocolBinding(MqttVersion version, OutboundGuard guard) : IProtocolBinding
{
    /// <inheritdoc/>
    public string Protocol => version == MqttVersion.V500 ? "MQTT5" : "MQTT3";

    private bool V5 => version == MqttVersion.V500;

    /// <inheritdoc/>
    public void ValidateAndComplete(SinkSpec spec, ICollection<ValidationError> errors)
    {
        if (!Uri.TryCreate(spec.Sink, UriKind.Absolute, out var sink) || sink.Scheme is not ("mqtt" or "mqtts")
            || string.IsNullOrEmpty(sink.Host))
        {
            errors.Add(new("sink", "must be mqtt://host:port or mqtts://host:port (SUB-14)"));
        }
        else if (guard.RefuseLiteral(sink.Host) is { } refused)
        {
            errors.Add(new("sink", refused));
        }

        var settings = spec.Settings;
        var allowed = V5 ? new[] { "topicname", "qos", "retain", "expiry", "userproperties", "contentmode" } : ["topicname", "qos", "retain"];
        foreach (var (name, _) in settings)
        {
            if (!allowed.Contains(name))
            {
                errors.Add(new($"protocolsettings.{name}", $"{Protocol} sinks take {string.Join(", ", allowed)}"));
            }
        }

        ProtocolSettings.RequireText(settings, "topicname", Protocol, errors);
        if (settings["topicname"] is JsonValue topic && topic.GetValueKind() == JsonValueKind.String
            && topic.GetValue<string>().Any(c => c is '+' or '#' or '\0'))
        {
            errors.Add(new("protocolsettings.topicname", "a topic name has no wildcards (MQTT-3.3.2-2)"));
        }

        if (settings["qos"] is { } qos && (qos.GetValueKind() != JsonValueKind.Number || !qos.AsValue().TryGetValue<int>(out var q) || q is < 0 or > 2))
        {
            errors.Add(new("protocolsettings.qos", "must be 0, 1 or 2"));
        }

        if (settings["retain"] is { } retain && retain.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors.Add(new("protocolsettings.retain", "must be true or false"));
        }

        if (settings["expiry"] is { } expiry && (expiry.GetValueKind() != JsonValueKind.Number || !expiry.AsValue().TryGetValue<uint>(out _)))
        {
            errors.Add(new("protocolsettings.expiry", "must be a number of seconds"));
        }

        if (settings["userproperties"] is { } user && (user is not JsonObject map || map.Any(p => p.Value?.GetValueKind() != JsonValueKind.String)))
        {
            errors.Add(new("protocolsettings.userproperties", "must be an object of names to string values"));
        }

        if (settings["contentmode"] is { } mode
            && (mode.GetValueKind() != JsonValueKind.String || mode.GetValue<string>() is not ("binary" or "structured")))
        {
            errors.Add(new("protocolsettings.contentmode", "must be 'binary' or 'structured'"));
        }

        if (spec.Credential is { CredentialType: not SinkCredential.Plain } credential)
        {
            errors.Add(new("sinkcredential.credentialtype", $"MQTT takes PLAIN (user name and password), not {credential.CredentialType}"));
        }

        // SUB-20: the realized subscription shows the defaults (qos 1, G25).
        settings["qos"] ??= 1;
        settings["retain"] ??= false;
        if (V5)
        {
            settings["contentmode"] ??= "binary";
        }
    }

    /// <inheritdoc/>
    public IEventSender CreateSender(SinkSpec spec)
    {
        var settings = spec.Settings;
        var options = MqttConnection.Options(new Uri(spec.Sink), version, "gateway-" + Guid.NewGuid().ToString("N")[..16], spec.Credential, guard)
            .WithCleanSession()
            .Build();
        var publish = new MqttSenderSettings(
            settings["topicname"]!.GetValue<string>(),
            (byte)settings["qos"]!.GetValue<int>(),
            settings["retain"]!.GetValue<bool>(),
            settings["expiry"]?.GetValue<uint>(),
            settings["userproperties"] is JsonObject map ? [.. map.Select(p => KeyValuePair.Create(p.Key, p.Value!.GetValue<string>()))] : [],
            !V5 || settings["contentmode"]?.GetValue<string>() == "structured");
        return new MqttEventSender(options, version, publish, guard);
    }
}

/// <summary>How a subscription's events are published.</summary>
internal sealed record MqttSenderSettings(
    string Topic, byte QoS, bool Retain, uint? Expiry, IReadOnlyList<KeyValuePair<string, string>> UserProperties, bool Structured);
