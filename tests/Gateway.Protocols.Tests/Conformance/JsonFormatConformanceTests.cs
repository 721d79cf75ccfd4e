using System.Buffers;
using System.Text.Json.Nodes;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Json;
using Gateway.Testing;

namespace Gateway.Protocols.Tests.Conformance;

/// <summary>The official JSON format conformance files (format-tests/json), used as they are (§11.2).</summary>
public sealed class JsonFormatConformanceTests
{
    private static JsonArray Tests(string file) =>
        JsonNode.Parse(File.ReadAllText(SpecFiles.Path($"spec/conformance/format-tests/json/{file}")))!["tests"]!.AsArray();

    private static JsonNode Test(string file, string id) => Tests(file).Single(t => t!["id"]!.GetValue<string>() == id)!;

    public static TheoryData<string> ValidEvents => [.. Tests("valid-events.json").Select(t => t!["id"]!.GetValue<string>())];

    public static TheoryData<string> ValidBatches => [.. Tests("valid-batches.json").Select(t => t!["id"]!.GetValue<string>())];

    public static TheoryData<string> InvalidBatches => [.. Tests("invalid-batches.json").Select(t => t!["id"]!.GetValue<string>())];

    [Theory]
    [MemberData(nameof(ValidEvents))]
    public void ValidEvent_ParsesToTheGoldenSample(string id)
    {
        var test = Test("valid-events.json", id);

        var parsed = JsonEventFormat.Parse(System.Text.Encoding.UTF8.GetBytes(test["event"]!.ToJsonString()));

        GoldenEvents.AssertSame(GoldenEvents.Sample(test["sampleId"]!.GetValue<string>()), parsed);
    }

    [Theory]
    [MemberData(nameof(ValidEvents))]
    public void ValidEvent_RoundTripsThroughTheWriter(string id)
    {
        var parsed = JsonEventFormat.Parse(System.Text.Encoding.UTF8.GetBytes(Test("valid-events.json", id)["event"]!.ToJsonString()));

        var again = JsonEventFormat.Parse(JsonEventFormat.ToUtf8Bytes(parsed));

        GoldenEvents.AssertSame(parsed, again);
        Assert.Equal(parsed.Time, again.Time);
    }

    [Theory]
    [MemberData(nameof(ValidBatches))]
    public void ValidBatch_ParsesToTheGoldenSamples(string id)
    {
        var test = Test("valid-batches.json", id);

        var parsed = JsonEventFormat.ParseBatch(System.Text.Encoding.UTF8.GetBytes(test["batch"]!.ToJsonString()));

        var expected = GoldenEvents.Batch(test["sampleId"]!.GetValue<string>());
        Assert.Equal(expected.Length, parsed.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            GoldenEvents.AssertSame(GoldenEvents.Sample(expected[i]), parsed[i]);
        }
    }

    [Theory]
    [MemberData(nameof(InvalidBatches))]
    public void CE_08_InvalidBatch_IsRejectedWhole(string id)
    {
        var batch = Test("invalid-batches.json", id)["batch"]!.ToJsonString();

        var ex = Assert.Throws<CloudEventFormatException>(() => JsonEventFormat.ParseBatch(System.Text.Encoding.UTF8.GetBytes(batch)));

        Assert.All(ex.Errors, e => Assert.StartsWith("[", e.Field, StringComparison.Ordinal));
    }

    [Fact]
    public void JSON_14_WriteBatch_ReadsBackTheSameEvents()
    {
        var events = new[] { GoldenEvents.Sample("minimal"), GoldenEvents.Sample("allExtensionTypes"), GoldenEvents.Sample("simpleTextData") };
        var buffer = new ArrayBufferWriter<byte>();

        JsonEventFormat.WriteBatch(events, buffer);
        var parsed = JsonEventFormat.ParseBatch(buffer.WrittenSpan);

        Assert.Equal(events.Length, parsed.Count);
        for (var i = 0; i < events.Length; i++)
        {
            GoldenEvents.AssertSame(events[i], parsed[i]);
        }
    }
}
