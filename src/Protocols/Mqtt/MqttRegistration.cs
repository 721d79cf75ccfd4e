using Gateway.Protocols.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Protocols.Mqtt;

/// <summary>Registers the <c>MQTT3</c> and <c>MQTT5</c> protocols.</summary>
public static class MqttRegistration
{
    /// <summary>
    /// The <c>MQTT3</c> and <c>MQTT5</c> protocols in one call: sinks and sources of both versions, through
    /// <paramref name="guard"/>; sources name their persistent sessions after <paramref name="nodeName"/>.
    /// </summary>
    public static IServiceCollection AddMqttProtocols(this IServiceCollection services, OutboundGuard guard, string nodeName)
    {
        foreach (var version in (MqttVersion[])[MqttVersion.V311, MqttVersion.V500])
        {
            services.AddSingleton<IProtocolBinding>(_ => new MqttProtocolBinding(version, guard));
            services.AddSingleton<ISourceBinding>(_ => new MqttSourceBinding(version, nodeName, guard));
        }

        return services;
    }
}
