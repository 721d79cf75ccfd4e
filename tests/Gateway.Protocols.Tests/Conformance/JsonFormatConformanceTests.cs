using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Json;
using Gateway.Testing;

namespace Gateway.Protocols.Tests.Conformance;

/// <summary>
/// The official JSON format conformance files (format-tests/json, §11.2), read from disk as they are: one theory row
/// per test id, each event or batch handed to the parser as the exact text the file holds.
/// </summary>
public sealed class JsonFormatConformanceTests
{
    public static TheoryData<string> ValidEvents => Ids("valid-events.json");

    public static TheoryData<string> ValidBatches => Ids("valid-batches.json");

    public static TheoryData<string> InvalidBatches => Ids("invalid-batches.json");

    [Theory]
    [MemberData(nameof(ValidEvents))]
    public void ValidEvent_ParsesToTheGoldenSample(string id)
    {
        var test = Test("valid-events.json", id);

        var parsed = JsonEventFormat.Parse(Raw(test, "event"));

        GoldenEvents.AssertSame(GoldenEvents.Sample(test.GetProperty("sampleId").GetString()!), parsed);
    }

    [Theory]
    [MemberData(nameof(ValidEvents))]
    public void ValidEvent_WrittenAndParsedAgain_KeepsAttributesAndData(string id)
    {
        var parsed = JsonEventFormat.Parse(Raw(Test("valid-events.json", id), "event"));
        var buffer = new ArrayBufferWriter<byte>();

        JsonEventFormat.Write(parsed, buffer);
        var again = JsonEventFormat.Parse(buffer.WrittenSpan);

        GoldenEvents.AssertSame(parsed, again);

        // §2.2: the writer keeps the received strings, so even the timestamp's text survives, not only its instant.
        Assert.Equal(parsed.Time, again.Time);
        Assert.Equal(parsed.Extensions, again.Extensions);
    }

    [Theory]
    [MemberData(nameof(ValidBatches))]
    public void JSON_14_ValidBatch_ParsesToTheGoldenSamples(string id)
    {
        var test = Test("valid-batches.json", id);

        var parsed = JsonEventFormat.ParseBatch(Raw(test, "batch"));

        var expected = GoldenEvents.Batch(test.GetProperty("sampleId").GetString()!);
        Assert.Equal(expected.Length, parsed.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            GoldenEvents.AssertSame(GoldenEvents.Sample(expected[i]), parsed[i]);
        }
    }

    [Theory]
    [MemberData(nameof(InvalidBatches))]
    public void CE_08_InvalidBatch_IsRejectedWhole_NamingOnlyElementsOfTheBatch(string id)
    {
        var test = Test("invalid-batches.json", id);
        var length = test.GetProperty("batch").GetArrayLength();

        var ex = Assert.Throws<CloudEventFormatException>(() => JsonEventFormat.ParseBatch(Raw(test, "batch")));

        Assert.NotEmpty(ex.Errors);
        Assert.All(ex.Errors, e => Assert.InRange(ElementIndex(e.Field), 0, length - 1));
    }

    [Theory]
    [InlineData("invalidBatchMixedSpecVersions", "[1].specversion")]
    [InlineData("invalidBatchContainingInvalidCloudEvent", "[0].id")]
    [InlineData("invalidBatchContainingNonObject", "[0]")]
    public void CE_08_InvalidBatch_NamesTheBrokenElement(string id, string field)
    {
        var raw = Raw(Test("invalid-batches.json", id), "batch");

        var ex = Assert.Throws<CloudEventFormatException>(() => JsonEventFormat.ParseBatch(raw));

        Assert.Equal(field, Assert.Single(ex.Errors).Field);
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

    /// <summary>
    /// One test of a file. format-tests/README.md: tests that need extension constraints beyond the core spec may be
    /// skipped by implementations without that feature, and the gateway applies only the core constraints. Tests that
    /// need the sample extension attributes run: <see cref="GoldenEvents"/> applies those definitions.
    /// </summary>
    private static JsonElement Test(string file, string id)
    {
        var test = Tests(file).EnumerateArray().Single(t => t.GetProperty("id").GetString() == id);
        if (test.TryGetProperty("extensionConstraints", out var constrained) && constrained.ValueKind == JsonValueKind.True)
        {
            Assert.Skip("needs extension attribute constraints beyond the core spec, which the gateway does not apply");
        }

        return test;
    }

    /// <summary>The member's text exactly as the file holds it.</summary>
    private static byte[] Raw(JsonElement test, string member) => Encoding.UTF8.GetBytes(test.GetProperty(member).GetRawText());

    private static int ElementIndex(string field)
    {
        Assert.StartsWith("[", field, StringComparison.Ordinal);
        return int.Parse(field.AsSpan(1, field.IndexOf(']', StringComparison.Ordinal) - 1), CultureInfo.InvariantCulture);
    }

    private static JsonElement Tests(string file)
    {
        // File.ReadAllText drops the byte-order mark some of the files start with.
        using var document = JsonDocument.Parse(File.ReadAllText(SpecFiles.Path($"spec/conformance/format-tests/json/{file}")));
        return document.RootElement.GetProperty("tests").Clone();
    }

    private static TheoryData<string> Ids(string file) =>
        [.. Tests(file).EnumerateArray().Select(t => t.GetProperty("id").GetString()!)];
}
