using System.Globalization;
using System.Text;
using Gateway.Protocols.CloudEvents;

namespace Gateway.Protocols.Tests.Conformance;

/// <summary>
/// The "golden" sample events of the JSON format conformance tests (format-tests/README.md), built in code as the
/// README asks, and the comparison it prescribes: timestamps as instants, everything else exactly.
/// </summary>
internal static class GoldenEvents
{
    public static CloudEvent Sample(string sampleId) => sampleId switch
    {
        "minimal" => Minimal("minimal").Build(),
        "minimalWithTime" => Minimal("minimalWithTime").Set("time", "2018-04-05T17:31:00Z").Build(),
        "minimalWithRelativeSource" => new CloudEventBuilder()
            .Set("specversion", "1.0").Set("id", "minimalWithRelativeSource").Set("type", "io.cloudevents.test")
            .Set("source", "#fragment").Build(),
        "allCore" => Minimal("allCore").Set("datacontenttype", "text/plain")
            .Set("dataschema", "https://cloudevents.io/dataschema").Set("subject", "tests")
            .Set("time", "2018-04-05T17:31:00Z").Build(),
        "simpleTextData" => Minimal("simpleTextData").Set("datacontenttype", "text/plain")
            .SetData(CloudEventData.FromBytes(Encoding.UTF8.GetBytes("Simple text"))).Build(),
        "allExtensionTypes" => Minimal("allExtensionTypes")
            .Set("extinteger", CloudEventValue.FromInteger(10)).Set("extboolean", CloudEventValue.FromBoolean(true))
            .Set("extstring", "text").Set("extbinary", Convert.ToBase64String([0x4d, 0x61]))
            .Set("exttimestamp", "2023-03-31T15:12:00Z").Set("exturi", "https://cloudevents.io")
            .Set("exturiref", "//authority/path").Build(),
        _ => throw new ArgumentException($"no golden sample {sampleId}", nameof(sampleId)),
    };

    /// <summary>The golden batches: lists of sample ids.</summary>
    public static string[] Batch(string sampleId) => sampleId switch
    {
        "empty" => [],
        "minimal" => ["minimal"],
        "minimal2" => ["minimal", "minimal"],
        "minimalAndAllCore" => ["minimal", "allCore"],
        "minimalAndAllExtensionTypes" => ["minimal", "allExtensionTypes"],
        _ => throw new ArgumentException($"no golden batch {sampleId}", nameof(sampleId)),
    };

    /// <summary>Asserts the two events carry the same CloudEvent: attributes, extension types and data.</summary>
    public static void AssertSame(CloudEvent expected, CloudEvent actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Source, actual.Source);
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.DataContentType, actual.DataContentType);
        Assert.Equal(expected.DataSchema, actual.DataSchema);
        Assert.Equal(expected.Subject, actual.Subject);
        Assert.Equal(Instant(expected.Time), Instant(actual.Time));
        Assert.Equal(expected.Extensions.Count, actual.Extensions.Count);
        foreach (var (name, value) in expected.Extensions)
        {
            Assert.True(actual.TryGetAttribute(name, out var other), $"extension {name} is missing");
            Assert.Equal(value.Type, other.Type);
            AssertSameExtensionValue(name, value.Text, other.Text);
        }

        Assert.Equal(expected.Data.IsPresent, actual.Data.IsPresent);
        Assert.Equal(expected.Data.IsJson, actual.Data.IsJson);
        Assert.Equal(expected.Data.Bytes.ToArray(), actual.Data.Bytes.ToArray());
    }

    /// <summary>
    /// The README's "sample extension attributes": the JSON format carries Binary, Timestamp, URI and URI-reference
    /// as strings, and our model keeps them as their canonical strings (CE-04), so the sample definitions are applied
    /// here, in the comparison: a Binary compares as bytes, a Timestamp as an instant, the rest exactly.
    /// </summary>
    private static void AssertSameExtensionValue(string name, string expected, string actual)
    {
        switch (name)
        {
            case "extbinary":
                Assert.Equal(Convert.FromBase64String(expected), Convert.FromBase64String(actual));
                break;
            case "exttimestamp":
                Assert.True(Rfc3339.IsValid(actual), $"{name} '{actual}' is not an RFC 3339 timestamp");
                Assert.Equal(Instant(expected), Instant(actual));
                break;
            default:
                Assert.Equal(expected, actual);
                break;
        }
    }

    private static DateTimeOffset? Instant(string? time) =>
        time is null ? null : DateTimeOffset.Parse(time, CultureInfo.InvariantCulture);

    private static CloudEventBuilder Minimal(string id) => new CloudEventBuilder()
        .Set("specversion", "1.0").Set("id", id).Set("type", "io.cloudevents.test").Set("source", "https://cloudevents.io");
}
