using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Kafka;

/// <summary>A validated Kafka sink: where, which topic, how, and with which producer settings.</summary>
internal sealed record KafkaSinkSettings(ProducerKey Producer, string Topic, bool Structured, bool PartitionKeyAsKey)
{
    public static KafkaSinkSettings From(SinkSpec spec, TrustedAuthorities trust)
    {
        var settings = spec.Settings;
        var tls = settings["tls"]?.GetValue<bool>() == true;
        return new KafkaSinkSettings(
            new ProducerKey(
                Bootstrap(spec.Sink)!,
                settings["clientid"]?.GetValue<string>() ?? "cloudevents-gateway",
                Acks(settings)!.Value,
                tls,
                tls ? trust.CaFile : null,
                spec.Credential?.Identifier,
                spec.Credential?.Secret),
            settings["topicname"]!.GetValue<string>(),
            settings["contentmode"]?.GetValue<string>() == "structured",
            settings["partitionkeyextractor"] is not null);
    }

    /// <summary>The bootstrap list of <c>kafka://a:9092,b:9092</c> or <c>a:9092,b:9092</c>, or null when malformed.</summary>
    public static string? Bootstrap(string sink)
    {
        var list = sink.StartsWith("kafka://", StringComparison.OrdinalIgnoreCase) ? sink["kafka://".Length..].TrimEnd('/') : sink;
        var servers = list.Split(',', StringSplitOptions.TrimEntries);
        return servers.All(s => s.LastIndexOf(':') is > 0 and var colon && int.TryParse(s[(colon + 1)..], out var port) && port is > 0 and < 65536)
            ? string.Join(',', servers)
            : null;
    }

    /// <summary><c>acks</c> (string or number, as the spec names it) or <c>ackmode</c> (integer, as the OpenAPI does, G6).</summary>
    public static Acks? Acks(JsonObject settings) => (settings["acks"] ?? settings["ackmode"]) switch
    {
        null => Confluent.Kafka.Acks.All,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>() switch
        {
            "all" or "-1" => Confluent.Kafka.Acks.All,
            "0" => Confluent.Kafka.Acks.None,
            "1" => Confluent.Kafka.Acks.Leader,
            _ => null,
        },
        JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var n) => n switch
        {
            -1 => Confluent.Kafka.Acks.All,
            0 => Confluent.Kafka.Acks.None,
            1 => Confluent.Kafka.Acks.Leader,
            _ => null,
        },
        _ => null,
    };
}

/// <summary>What makes two subscriptions able to share one producer.</summary>
internal sealed record ProducerKey(
    string Bootstrap, string ClientId, Acks Acks, bool Tls, string? CaFile, string? User, string? Password)
{
    public ProducerConfig ToConfig() => KafkaSecurity.Apply(
        new ProducerConfig
        {
            BootstrapServers = Bootstrap,
            ClientId = ClientId,
            Acks = Acks,

            // A broker that stays away fails the attempt after 10 s instead of librdkafka's 5 minutes; the gateway's
            // retry policy takes it from there.
            MessageTimeoutMs = 10_000,
        },
        Tls,
        CaFile,
        User,
        Password);
}
