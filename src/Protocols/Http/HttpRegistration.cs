using Gateway.Protocols.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Protocols.Http;

/// <summary>Registers the <c>HTTP</c> protocol.</summary>
public static class HttpRegistration
{
    /// <summary>The <c>HTTP</c> protocol in one call: webhook sinks (§5) and polling sources.</summary>
    public static IServiceCollection AddHttpProtocol(this IServiceCollection services, HttpDeliveryOptions options)
    {
        services.AddSingleton<IProtocolBinding>(_ => new HttpProtocolBinding(options));
        services.AddSingleton<ISourceBinding>(_ => new HttpPollingSourceBinding(options));
        return services;
    }
}
