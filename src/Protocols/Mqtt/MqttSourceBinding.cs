using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Mqtt;

/// <summary>
/// The <c>MQTT3</c> and <c>MQTT5</c> sources: <c>address</c> <c>mqtt://host:port</c> or <c>mqtts://</c>;
/// <c>protocolsettings</c> <c>topicfilter</c> (required), <c>qos</c> (0 or 1, default 1), <c>sharegroup</c> (default
/// <c>gateway-&lt;source id&gt;</c>) and for MQTT 5 <c>sessionexpiry</c> (seconds, default one day); <c>credential</c>
/// <c>PLAIN</c>. Each node reads in a persistent session whose client id names the source and the node
/// (<c>gateway-&lt;source id&gt;-&lt;node&gt;</c>), so the node must have a name of its own among the gateway's nodes.
/// </summary>
/// <param name="version">The protocol version.</param>
/// <param name="nodeName">This gateway node's name, stable across restarts and different from every other node's.</param>
/// <param name="guard">Which brokers may be reached, and which certificates trusted.</param>
public sealed class MqttSourceBinding(MqttVersion version, string nodeName, OutboundGuard guard) : ISourceBinding
{
    /// <summary>How long the broker keeps an MQTT 5 session (and queues its QoS 1 messages) while the node is away.</summary>
    private const uint DefaultSessionExpiry = 24 * 60 * 60;

    /// <inheritdoc/>
    public string Protocol => V5 ? "MQTT5" : "MQTT3";

    /// <inheritdoc/>
    public bool RunsOnEveryNode => true;

    private bool V5 => version == MqttVersion.V500;

    /// <inheritdoc/>
    public void ValidateAndComplete(SourceSpec spec, ICollection<ValidationError> errors)
    {
        if (!Uri.TryCreate(spec.Address, UriKind.Absolute, out var address) || address.Scheme is not ("mqtt" or "mqtts")
            || string.IsNullOrEmpty(address.Host))
        {
            errors.Add(new("address", "must be mqtt://host:port or mqtts://host:port"));
        }
        else if (guard.RefuseLiteral(address.Host) is { } refused)
        {
            errors.Add(new("address", refused));
        }

        var settings = spec.Settings;
        var allowed = V5 ? new[] { "topicfilter", "qos", "sharegroup", "sessionexpiry" } : ["topicfilter", "qos", "sharegroup"];
        foreach (var (name, _) in settings.Where(s => !allowed.Contains(s.Key)))
        {
            errors.Add(new($"protocolsettings.{name}", $"{Protocol} sources take {string.Join(", ", allowed)}"));
        }

        if (settings["topicfilter"] is null)
        {
            errors.Add(new("protocolsettings.topicfilter", "is required: a topic filter such as 'sensors/+/temperature'"));
        }
        else if (ProtocolSettings.Text(settings, "topicfilter", errors) is { } filter
            && (!MqttTopics.IsValidFilter(filter) || filter.StartsWith(MqttTopics.SharePrefix, StringComparison.Ordinal)))
        {
            errors.Add(new("protocolsettings.topicfilter",
                "must be a topic filter with '+' and '#' only as whole levels, '#' last (MQTT-4.7.1), and without $share/ (see sharegroup)"));
        }

        if (settings["qos"] is { } qos && (qos.GetValueKind() != JsonValueKind.Number || !qos.AsValue().TryGetValue<int>(out var q) || q is not (0 or 1)))
        {
            errors.Add(new("protocolsettings.qos", "must be 0 or 1 (1 for at least once)"));
        }

        // Several gateway nodes in one shared subscription share the messages: each goes to one of them.
        settings["sharegroup"] ??= $"gateway-{spec.SourceId}";
        if (ProtocolSettings.Text(settings, "sharegroup", errors) is { } group && !MqttTopics.IsValidShareName(group))
        {
            errors.Add(new("protocolsettings.sharegroup", "must be a share name without '/', '+' or '#' (MQTT 5 §4.8.2)"));
        }

        if (settings["sessionexpiry"] is { } expiry && (expiry.GetValueKind() != JsonValueKind.Number || !expiry.AsValue().TryGetValue<uint>(out _)))
        {
            errors.Add(new("protocolsettings.sessionexpiry", "must be a number of seconds"));
        }

        if (spec.Credential is { CredentialType: not SinkCredential.Plain } credential)
        {
            errors.Add(new("credential.credentialtype", $"MQTT takes PLAIN (user name and password), not {credential.CredentialType}"));
        }

        settings["qos"] ??= 1;
        if (V5)
        {
            settings["sessionexpiry"] ??= DefaultSessionExpiry;
        }
    }

    /// <inheritdoc/>
    public IEventSource CreateSource(SourceSpec spec)
    {
        var settings = spec.Settings;
        var broker = new Uri(spec.Address);
        var builder = MqttConnection.Options(broker, version, $"gateway-{spec.SourceId}-{nodeName}", spec.Credential, guard);
        var options = (V5
            ? builder.WithCleanStart(false).WithSessionExpiryInterval(settings["sessionexpiry"]!.GetValue<uint>())
            : builder.WithCleanSession(false)).Build();
        var subscription = $"{MqttTopics.SharePrefix}{settings["sharegroup"]!.GetValue<string>()}/{settings["topicfilter"]!.GetValue<string>()}";
        return new MqttSource(options, broker, version, subscription, settings["qos"]!.GetValue<int>(), spec.Defaults);
    }
}
