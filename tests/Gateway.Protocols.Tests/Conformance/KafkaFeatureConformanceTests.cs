using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.Kafka;
using Gateway.Testing;

namespace Gateway.Protocols.Tests.Conformance;

/// <summary>
/// The Gherkin scenarios of features/kafka-protocol-binding.feature, read from the file, in both directions: the
/// record decodes to the scenario's attributes and data, and encoding that event gives a record that decodes the same.
/// </summary>
public sealed partial class KafkaFeatureConformanceTests
{
    private static readonly List<Scenario> Scenarios = Parse(File.ReadAllText(
        SpecFiles.Path("spec/conformance/cloudevents-conformance/features/kafka-protocol-binding.feature")));

    public static TheoryData<int> Rows => [.. Enumerable.Range(0, Scenarios.Count)];

    [Fact]
    public void TheFeatureFile_HasItsThreeCases()
    {
        Assert.Equal(3, Scenarios.Count);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void KAFKA_03_Scenario_DecodesAsTheFeatureSays_AndRoundTrips(int row)
    {
        var scenario = Scenarios[row];
        var record = new KafkaRecord(null, [.. scenario.Headers.Select(h => KeyValuePair.Create(h.Key, Encoding.UTF8.GetBytes(h.Value)))], Encoding.UTF8.GetBytes(scenario.Payload));

        var decoded = KafkaCloudEventMessage.Decode(record);
        var structured = scenario.Headers.Any(h => h.Key == "content-type" && h.Value.StartsWith("application/cloudevents", StringComparison.Ordinal));
        var again = KafkaCloudEventMessage.Decode(KafkaCloudEventMessage.Encode(decoded, structured, partitionKeyAsKey: false));

        foreach (var cloudEvent in new[] { decoded, again })
        {
            foreach (var (name, value) in scenario.Attributes)
            {
                Assert.True(cloudEvent.TryGetAttribute(name, out var actual), $"{name} is missing");
                Assert.Equal(value, actual.Text);
            }

            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(scenario.Data), JsonNode.Parse(cloudEvent.Data.Bytes.Span)));
        }
    }

    [Fact]
    public void KAFKA_04_PartitionKey_BecomesTheKey_AndStaysAHeader()
    {
        var cloudEvent = new CloudEventBuilder().Set("specversion", "1.0").Set("id", "1").Set("source", "/s").Set("type", "t")
            .Set("partitionkey", "p-1").Build();

        var record = KafkaCloudEventMessage.Encode(cloudEvent, structured: false, partitionKeyAsKey: true);

        Assert.Equal("p-1", Encoding.UTF8.GetString(record.Key!));
        Assert.Contains(record.Headers, h => h.Key == "ce_partitionkey" && Encoding.UTF8.GetString(h.Value) == "p-1");
        Assert.Null(record.Value);
    }

    private static List<Scenario> Parse(string feature)
    {
        var scenarios = new List<Scenario>();
        foreach (Match block in ScenarioPattern().Matches(feature))
        {
            var text = block.Value;
            var docStrings = DocStringPattern().Matches(text).Select(m => m.Groups[1].Value.Trim()).ToArray();
            var parts = text.Split("Examples:");
            var headersTable = Table(Between(parts[0], "Kafka headers:", "When")).Skip(1).ToArray();
            var attributes = Table(Between(parts[0], "the attributes are:", "And the data")).Skip(1).ToArray();
            var examples = parts.Length > 1 ? Table(parts[1]).ToArray() : [];
            var rows = examples.Length > 1 ? examples.Skip(1).ToArray() : [[]];
            foreach (var example in rows)
            {
                string Fill(string value)
                {
                    for (var c = 0; c < example.Length; c++)
                    {
                        value = value.Replace($"<{examples[0][c]}>", example[c], StringComparison.Ordinal);
                    }

                    return value;
                }

                scenarios.Add(new Scenario(
                    docStrings[0],
                    [.. headersTable.Select(r => KeyValuePair.Create(r[0], Fill(r[1])))],
                    attributes.ToDictionary(r => r[0], r => Fill(r[1]), StringComparer.Ordinal),
                    docStrings[1]));
            }
        }

        return scenarios;
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }

    private static IEnumerable<string[]> Table(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('|'))
            .Select(l => l.Trim('|').Split('|').Select(c => c.Trim()).ToArray());

    [GeneratedRegex(@"Scenario.*?(?=Scenario|\z)", RegexOptions.Singleline)]
    private static partial Regex ScenarioPattern();

    [GeneratedRegex("\"\"\"\\n(.*?)\\n\\s*\"\"\"", RegexOptions.Singleline)]
    private static partial Regex DocStringPattern();

    private sealed record Scenario(string Payload, List<KeyValuePair<string, string>> Headers, Dictionary<string, string> Attributes, string Data);
}
