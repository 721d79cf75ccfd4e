using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Kafka;

/// <summary>A validated Kafka source: where, which topics, which group, where a new group starts, and how to connect.</summary>
internal sealed record KafkaSourceSettings(
    string Bootstrap,
    IReadOnlyList<string> Topics,
    string Group,
    bool FromLatest,
    string ClientId,
    bool Tls,
    string? CaFile,
    string? User,
    string? Password)
{
    public static KafkaSourceSettings From(SourceSpec spec, TrustedAuthorities trust)
    {
        var settings = spec.Settings;
        var tls = settings["tls"]?.GetValue<bool>() == true;
        return new KafkaSourceSettings(
            KafkaSinkSettings.Bootstrap(spec.Address)!,
            ReadTopics(settings["topicname"])!,
            settings["consumergroup"]!.GetValue<string>(),
            settings["startoffset"]!.GetValue<string>() == "latest",
            settings["clientid"]?.GetValue<string>() ?? "cloudevents-gateway",
            tls,
            tls ? trust.CaFile : null,
            spec.Credential?.Identifier,
            spec.Credential?.Secret);
    }

    /// <summary><c>topicname</c>: one topic name or a non-empty array of them; null when it is neither.</summary>
    public static IReadOnlyList<string>? ReadTopics(JsonNode? node) => node switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String && IsTopicName(value.GetValue<string>()) => [value.GetValue<string>()],
        JsonArray { Count: > 0 } array when array.All(t => t is JsonValue v && v.GetValueKind() == JsonValueKind.String && IsTopicName(v.GetValue<string>())) =>
            [.. array.Select(t => t!.GetValue<string>()).Distinct(StringComparer.Ordinal)],
        _ => null,
    };

    /// <summary>
    /// The consumer's librdkafka properties. An offset is stored only by the source, after the durable append, and
    /// librdkafka commits the stored offsets every second and when the member leaves (at least once: a
    /// crash re-reads at most the last second's appended records, never skips one); <c>startoffset</c> applies only
    /// where the group has no offset yet.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string>> ToConfig() => KafkaSecurity.Apply(
        new ConsumerConfig
        {
            BootstrapServers = Bootstrap,
            GroupId = Group,
            ClientId = ClientId,
            EnableAutoCommit = true,
            EnableAutoOffsetStore = false,
            AutoCommitIntervalMs = 1000,
            AutoOffsetReset = FromLatest ? AutoOffsetReset.Latest : AutoOffsetReset.Earliest,

            // A node that dies (SIGKILL) keeps its partitions until its session times out, and a rebalance waits for
            // it that long: 10 s (Kafka's default before 3.0; librdkafka's is now 45 s) bounds that pause. Heartbeats
            // go every 3 s from librdkafka's own thread, whatever the source is doing.
            SessionTimeoutMs = 10_000,
        },
        Tls,
        CaFile,
        User,
        Password);

    // Kafka's own rule for topic names; it also keeps out '^', which would make librdkafka read the name as a pattern.
    private static bool IsTopicName(string name) =>
        name.Length is > 0 and <= 249 && name is not ("." or "..") && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
