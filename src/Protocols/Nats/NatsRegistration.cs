using Gateway.Protocols.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Protocols.Nats;

/// <summary>Registers the <c>NATS</c> protocol.</summary>
public static class NatsRegistration
{
    /// <summary>The <c>NATS</c> protocol in one call: core and JetStream sinks and sources, through <paramref name="guard"/>.</summary>
    public static IServiceCollection AddNatsProtocol(this IServiceCollection services, OutboundGuard guard)
    {
        services.AddSingleton<IProtocolBinding>(_ => new NatsProtocolBinding(guard));
        services.AddSingleton<ISourceBinding>(_ => new NatsSourceBinding(guard));
        return services;
    }
}
