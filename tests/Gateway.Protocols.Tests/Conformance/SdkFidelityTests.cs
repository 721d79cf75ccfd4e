using System.Buffers;
using System.Net.Mime;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudNative.CloudEvents.SystemTextJson;
using Gateway.Protocols.CloudEvents.Json;
using Gateway.Testing;

namespace Gateway.Protocols.Tests.Conformance;

/// <summary>
/// Can a gateway built on the CNCF SDK forward an event unchanged? Every valid event of the
/// official JSON format tests is read and written again, by the SDK's <see cref="JsonEventFormatter"/> and by the
/// gateway's own <see cref="JsonEventFormat"/>, and the output must be the same JSON as the input (an optional attribute
/// given as null may be left out, CE-06). The gateway's core does it for every case; the SDK does not for the cases
/// named in <see cref="SdkChanges"/>, which is why events are still read and written by the own core: an
/// intermediary must not alter attribute values.
/// </summary>
public sealed class SdkFidelityTests
{
    /// <summary>The official cases the SDK 2.9 does not forward unchanged, and what it changes.</summary>
    private static readonly Dictionary<string, string> SdkChanges = new(StringComparer.Ordinal)
    {
        ["validMinimalWithTimeToNanosecondsUtc"] = "time cut from 9 to 7 fractional digits",
        ["validAllExtensionTypes"] = "extension values retyped: a JSON number or boolean becomes a string",
    };

    public static TheoryData<string> ValidEvents
    {
        get
        {
            var ids = new TheoryData<string>();
            foreach (var test in Tests().EnumerateArray())
            {
                ids.Add(test.GetProperty("id").GetString()!);
            }

            return ids;
        }
    }

    [Theory]
    [MemberData(nameof(ValidEvents))]
    public void TheGatewaysCore_ForwardsEveryOfficialEvent_Unchanged(string id)
    {
        var input = Input(id);
        var buffer = new ArrayBufferWriter<byte>();

        JsonEventFormat.Write(JsonEventFormat.Parse(input), buffer);

        AssertSameJson(input, buffer.WrittenSpan.ToArray());
    }

    [Theory]
    [MemberData(nameof(ValidEvents))]
    public void TheSdk_ForwardsAnOfficialEvent_UnchangedOrTheChangeIsNamed(string id)
    {
        var input = Input(id);
        var formatter = new JsonEventFormatter();

        var decoded = formatter.DecodeStructuredModeMessage(input, new ContentType("application/cloudevents+json"), extensionAttributes: null);
        var output = formatter.EncodeStructuredModeMessage(decoded, out _).ToArray();

        if (SdkChanges.TryGetValue(id, out var change))
        {
            // When a later SDK forwards this case unchanged, this fails: take the case off the list, and reconsider.
            Assert.False(SameJson(input, output), $"the SDK now keeps what it used to change ({change})");
        }
        else
        {
            AssertSameJson(input, output);
        }
    }

    private static void AssertSameJson(byte[] input, byte[] output) =>
        Assert.True(SameJson(input, output), $"in:  {Encoding.UTF8.GetString(input)}\nout: {Encoding.UTF8.GetString(output)}");

    private static bool SameJson(byte[] input, byte[] output)
    {
        var expected = JsonNode.Parse(input)!.AsObject();
        foreach (var absent in expected.Where(m => m.Value is null).Select(m => m.Key).ToList())
        {
            expected.Remove(absent);
        }

        return JsonNode.DeepEquals(expected, JsonNode.Parse(output));
    }

    private static byte[] Input(string id) => Encoding.UTF8.GetBytes(
        Tests().EnumerateArray().Single(t => t.GetProperty("id").GetString() == id).GetProperty("event").GetRawText());

    private static JsonElement Tests()
    {
        // File.ReadAllText drops the byte-order mark some of the files start with.
        using var document = JsonDocument.Parse(File.ReadAllText(SpecFiles.Path("spec/conformance/format-tests/json/valid-events.json")));
        return document.RootElement.GetProperty("tests").Clone();
    }
}
