using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Kafka;

/// <summary>
/// The SSRF guard for Kafka. librdkafka resolves and connects by itself and Confluent.Kafka
/// offers no connect hook, so every bootstrap server is checked before a client is made, and refused when any of its
/// addresses is private. What remains: brokers advertise their own addresses in metadata, and librdkafka connects to
/// those; a bootstrap broker that advertises a private address is followed. README, "Security", says so.
/// </summary>
internal static class KafkaBrokerGuard
{
    /// <summary>Each server's host in a bootstrap list (<c>a:9092,[::1]:9092</c>).</summary>
    public static IEnumerable<string> Hosts(string bootstrap) =>
        bootstrap.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(server => server[..server.LastIndexOf(':')].Trim('[', ']'));

    public static string? RefuseLiteral(OutboundGuard guard, string bootstrap) =>
        Hosts(bootstrap).Select(guard.RefuseLiteral).FirstOrDefault(refusal => refusal is not null);

    public static async ValueTask<string?> RefusalAsync(OutboundGuard guard, string bootstrap, CancellationToken cancellationToken)
    {
        foreach (var host in Hosts(bootstrap))
        {
            if (await guard.RefusalAsync(host, cancellationToken) is { } refused)
            {
                return refused;
            }
        }

        return null;
    }
}
