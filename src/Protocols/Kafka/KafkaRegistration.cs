using Gateway.Protocols.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Protocols.Kafka;

/// <summary>Registers the <c>KAFKA</c> protocol.</summary>
public static class KafkaRegistration
{
    /// <summary>
    /// The <c>KAFKA</c> protocol in one call: sinks and consumer-group sources over the librdkafka at
    /// <paramref name="libraryPath"/> (the redist's build when null), through <paramref name="guard"/>, and a line at
    /// start saying which librdkafka that is.
    /// </summary>
    public static IServiceCollection AddKafkaProtocol(this IServiceCollection services, string? libraryPath, OutboundGuard guard)
    {
        services.AddSingleton<IProtocolBinding>(_ => new KafkaProtocolBinding(libraryPath, guard));
        services.AddSingleton<ISourceBinding>(_ => new KafkaSourceBinding(libraryPath, guard));
        services.AddHostedService(provider => new KafkaLibraryLog(libraryPath, provider.GetRequiredService<ILogger<KafkaLibraryLog>>()));
        return services;
    }
}
