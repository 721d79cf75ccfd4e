using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Http;
using Gateway.Protocols.CloudEvents.Json;
using Gateway.Testing;

namespace Gateway.Protocols.Tests.Conformance;

/// <summary>
/// The Gherkin scenarios of features/http-protocol-binding.feature, read from the file: each Examples row becomes a
/// raw HTTP request, parsed by our binding, and checked against the scenario's attribute table and data.
/// </summary>
public sealed partial class HttpFeatureConformanceTests
{
    private static readonly List<Scenario> Scenarios = Parse(File.ReadAllText(
        SpecFiles.Path("spec/conformance/cloudevents-conformance/features/http-protocol-binding.feature")));

    public static TheoryData<string> Rows => [.. Scenarios.Select(s => s.Title)];

    [Fact]
    public void TheFeatureFile_HasItsFourExamples()
    {
        Assert.Equal(4, Scenarios.Count);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void HTTP_05_Scenario_ParsesAsTheFeatureSays(string title)
    {
        var scenario = Scenarios.Single(s => s.Title == title);
        var (headers, body) = SplitRequest(scenario.Request);
        var contentType = headers.FirstOrDefault(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value;

        // HTTP-05: the outline's title says which mode its requests are in.
        var mode = HttpBinding.DetectMode(contentType);
        Assert.Equal(scenario.Title.StartsWith("Structured", StringComparison.Ordinal) ? HttpContentMode.Structured : HttpContentMode.Binary, mode);
        var parsed = mode == HttpContentMode.Structured
            ? JsonEventFormat.Parse(body)
            : HttpBinding.DecodeBinary(contentType, headers, body);

        foreach (var (name, value) in scenario.Attributes)
        {
            Assert.True(parsed.TryGetAttribute(name, out var actual), $"{name} is missing");
            Assert.Equal(value, actual.Text);
        }

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(scenario.Data), JsonNode.Parse(parsed.Data.Bytes.Span)));
    }

    private static (List<KeyValuePair<string, string>> Headers, byte[] Body) SplitRequest(string request)
    {
        var lines = request.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var headers = new List<KeyValuePair<string, string>>();
        var i = 1;
        for (; i < lines.Length && lines[i].Length > 0; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            headers.Add(KeyValuePair.Create(lines[i][..colon].Trim(), lines[i][(colon + 1)..].Trim()));
        }

        return (headers, Encoding.UTF8.GetBytes(string.Join('\n', lines.Skip(i + 1))));
    }

    /// <summary>A small reader for the feature's shape: Scenario Outline, a request doc string, a table, data, Examples.</summary>
    private static List<Scenario> Parse(string feature)
    {
        var scenarios = new List<Scenario>();
        foreach (Match outline in OutlinePattern().Matches(feature))
        {
            var block = outline.Value;
            var title = block["Scenario Outline:".Length..block.IndexOf('\n', StringComparison.Ordinal)].Trim();
            var docStrings = DocStringPattern().Matches(block).Select(m => Dedent(m.Groups[1].Value)).ToArray();
            var tables = block.Split("Examples:");
            var attributeRows = TableRows(tables[0]).Skip(1).ToArray();
            var exampleRows = TableRows(tables[1]).ToArray();
            var placeholders = exampleRows[0];
            foreach (var example in exampleRows.Skip(1))
            {
                string Fill(string text)
                {
                    for (var c = 0; c < placeholders.Length; c++)
                    {
                        text = text.Replace($"<{placeholders[c]}>", example[c], StringComparison.Ordinal);
                    }

                    return text;
                }

                scenarios.Add(new Scenario(
                    Fill(title),
                    Fill(docStrings[0]),
                    attributeRows.ToDictionary(r => r[0], r => Fill(r[1]), StringComparer.Ordinal),
                    docStrings[1]));
            }
        }

        return scenarios;
    }

    private static IEnumerable<string[]> TableRows(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('|'))
            .Select(l => l.Trim('|').Split('|').Select(c => c.Trim()).ToArray());

    private static string Dedent(string text)
    {
        var lines = text.Split('\n');
        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())).Trim('\n');
    }

    [GeneratedRegex(@"Scenario Outline:.*?(?=Scenario Outline:|\z)", RegexOptions.Singleline)]
    private static partial Regex OutlinePattern();

    [GeneratedRegex("\"\"\"\\n(.*?)\\n\\s*\"\"\"", RegexOptions.Singleline)]
    private static partial Regex DocStringPattern();

    private sealed record Scenario(string Title, string Request, Dictionary<string, string> Attributes, string Data);
}
