using Gateway.Protocols.Abstractions;
using Gateway.Protocols.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Protocols.OpenWhisk;

/// <summary>Registers the <c>OPENWHISK</c> protocol.</summary>
public static class OpenWhiskRegistration
{
    /// <summary>
    /// The <c>OPENWHISK</c> protocol in one call: trigger sinks, and the binding itself for the feed provider's
    /// endpoints, which fire triggers with its client.
    /// </summary>
    public static IServiceCollection AddOpenWhiskProtocol(this IServiceCollection services, HttpDeliveryOptions options)
    {
        services.AddSingleton(_ => new OpenWhiskProtocolBinding(options));
        services.AddSingleton<IProtocolBinding>(provider => provider.GetRequiredService<OpenWhiskProtocolBinding>());
        return services;
    }
}
