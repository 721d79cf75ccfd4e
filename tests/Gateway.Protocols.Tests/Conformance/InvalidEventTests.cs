using System.Text;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Json;

namespace Gateway.Protocols.Tests.Conformance;

/// <summary>
/// Invalid single events. The official invalid-events.json is withheld for acceptance testing; these are our own
/// cases for every rule it covers (§11.2), each naming the field the error must name.
/// </summary>
public sealed class InvalidEventTests
{
    private const string Base = "\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"https://cloudevents.io\",\"type\":\"t\"";

    [Theory]
    [InlineData("""{"id":"x","source":"/s","type":"t"}""", "specversion")]
    [InlineData("""{"specversion":"","id":"x","source":"/s","type":"t"}""", "specversion")]
    [InlineData("""{"specversion":"0.9","id":"x","source":"/s","type":"t"}""", "specversion")]
    [InlineData("""{"specversion":1.0,"id":"x","source":"/s","type":"t"}""", "specversion")]
    [InlineData("""{"specversion":null,"id":"x","source":"/s","type":"t"}""", "specversion")]
    [InlineData("""{"specversion":"1.0","source":"/s","type":"t"}""", "id")]
    [InlineData("""{"specversion":"1.0","id":"","source":"/s","type":"t"}""", "id")]
    [InlineData("""{"specversion":"1.0","id":5,"source":"/s","type":"t"}""", "id")]
    [InlineData("""{"specversion":"1.0","id":{"a":1},"source":"/s","type":"t"}""", "id")]
    [InlineData("""{"specversion":"1.0","id":"x","type":"t"}""", "source")]
    [InlineData("""{"specversion":"1.0","id":"x","source":"","type":"t"}""", "source")]
    [InlineData("""{"specversion":"1.0","id":"x","source":"/s"}""", "type")]
    [InlineData("""{"specversion":"1.0","id":"x","source":"/s","type":""}""", "type")]
    public void CE_01_RequiredAttributes(string json, string field) => AssertInvalid(json, field);

    [Theory]
    [InlineData("lunchtime")]
    [InlineData("2018-04-05T18:31Z")]
    [InlineData("2018-04-05T17:31:00X")]
    [InlineData("2018-04-05T17:31:00+25:00")]
    [InlineData("2018-04-05T17:31:00+xx:00")]
    [InlineData("2018-04-05T17:31:00+05")]
    [InlineData("2018-02-30T17:31:00Z")]
    public void Time_MustBeRfc3339(string time) => AssertInvalid($$"""{{{Base}},"time":"{{time}}"}""", "time");

    [Theory]
    [InlineData("""{"datacontenttype":"xyz"}""", "datacontenttype")]
    [InlineData("""{"datacontenttype":""}""", "datacontenttype")]
    [InlineData("""{"datacontenttype":"text/plain; charset"}""", "datacontenttype")]
    [InlineData("""{"dataschema":""}""", "dataschema")]
    [InlineData("""{"dataschema":"/relative"}""", "dataschema")]
    [InlineData("""{"subject":""}""", "subject")]
    [InlineData("""{"MyExtension":"v"}""", "MyExtension")]
    [InlineData("""{"my.extension":"v"}""", "my.extension")]
    [InlineData("""{"myext":1.5}""", "myext")]
    [InlineData("""{"myext":{"nested":true}}""", "myext")]
    [InlineData("""{"myext":"tab\there"}""", "myext")]
    [InlineData("""{"data":{},"data_base64":"AA=="}""", "data")]
    [InlineData("""{"data_base64":"not base64!"}""", "data_base64")]
    [InlineData("""{"id":"again"}""", "id")]
    public void OptionalAndExtensionAttributes_FollowTheirRules(string members, string field) =>
        AssertInvalid("{" + Base + "," + members.TrimStart('{'), field);

    [Fact]
    public void CE_02b_LongExtensionNames_AreAccepted()
    {
        // G26: the 20-character limit is a SHOULD, not a MUST.
        var parsed = JsonEventFormat.Parse(Encoding.UTF8.GetBytes("{" + Base + ",\"averyveryverylongextensionname\":\"v\"}"));

        Assert.True(parsed.TryGetAttribute("averyveryverylongextensionname", out _));
    }

    [Fact]
    public void EveryErrorIsReportedAtOnce()
    {
        var ex = Assert.Throws<CloudEventFormatException>(() => JsonEventFormat.Parse(
            Encoding.UTF8.GetBytes("""{"specversion":"1.0","time":"noon","Bad":1}""")));

        Assert.Equal(["time", "Bad", "id", "source", "type"], ex.Errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"specversion\":")]
    [InlineData("{} {}")]
    public void MalformedJson_IsAFormatError(string json)
    {
        var ex = Assert.Throws<CloudEventFormatException>(() => JsonEventFormat.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Equal("$", Assert.Single(ex.Errors).Field);
    }

    private static void AssertInvalid(string json, string field)
    {
        var ex = Assert.Throws<CloudEventFormatException>(() => JsonEventFormat.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Contains(field, ex.Errors.Select(e => e.Field));
    }
}
