using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Protocols.Kafka;

/// <summary>
/// Says at start which librdkafka the Kafka sinks and sources use (<c>librdkafka 2.16.0 (…/centos8-librdkafka.so)</c>),
/// or why there is none: a machine's own librdkafka must never be used by surprise.
/// </summary>
internal sealed partial class KafkaLibraryLog(string? libraryPath, ILogger<KafkaLibraryLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (KafkaLibrary.UnavailableReason(libraryPath) is { } reason)
        {
            Log.Unavailable(logger, reason);
        }
        else
        {
            Log.Loaded(logger, KafkaLibrary.Describe(libraryPath));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(80, LogLevel.Information, "Kafka: {Library}")]
        public static partial void Loaded(ILogger logger, string library);

        [LoggerMessage(81, LogLevel.Warning, "Kafka sinks and sources are unavailable: {Reason}")]
        public static partial void Unavailable(ILogger logger, string reason);
    }
}

