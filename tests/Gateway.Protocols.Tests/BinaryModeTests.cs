using System.Text;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Http;
using Gateway.Protocols.CloudEvents.Json;

namespace Gateway.Protocols.Tests;

/// <summary>The HTTP binding's binary mode and content-mode detection (HTTP-05 to HTTP-12, §3 re-encoding table).</summary>
public sealed class BinaryModeTests
{
    private static readonly KeyValuePair<string, string>[] Required =
    [
        new("ce-specversion", "1.0"), new("ce-id", "1"), new("ce-source", "/s"), new("ce-type", "t"),
    ];

    private static CloudEvent Decode(string? contentType, string? body, params (string Name, string Value)[] extra) =>
        HttpBinding.DecodeBinary(
            contentType,
            Required.Concat(extra.Select(e => KeyValuePair.Create(e.Name, e.Value))),
            body is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(body));

    [Theory]
    [InlineData("application/cloudevents-batch+json", HttpContentMode.Batch)]
    [InlineData("APPLICATION/CLOUDEVENTS-BATCH+JSON; charset=utf-8", HttpContentMode.Batch)]
    [InlineData("application/cloudevents+json", HttpContentMode.Structured)]
    [InlineData("Application/CloudEvents+JSON; charset=UTF-8", HttpContentMode.Structured)]
    [InlineData("application/cloudevents+avro", HttpContentMode.Structured)]
    [InlineData(" application/cloudevents+json", HttpContentMode.Structured)]
    [InlineData("application/json", HttpContentMode.Binary)]
    [InlineData("text/plain; charset=utf-8", HttpContentMode.Binary)]
    [InlineData("", HttpContentMode.Binary)]
    [InlineData(null, HttpContentMode.Binary)]
    public void HTTP_05_ModeIsDetectedFromContentType(string? contentType, HttpContentMode mode)
    {
        Assert.Equal(mode, HttpBinding.DetectMode(contentType));
    }

    [Theory]
    [InlineData("application/cloudevents+json", true)]
    [InlineData("Application/CloudEvents+JSON; charset=UTF-8", true)]
    [InlineData("application/cloudevents-batch+json", true)]
    [InlineData("application/cloudevents+avro", false)]
    [InlineData("application/cloudevents", false)]
    public void HTTP_02_IsJsonFormat_NamesOnlyTheJsonEventFormat(string contentType, bool expected)
    {
        Assert.Equal(expected, HttpBinding.IsJsonFormat(contentType));
    }

    [Fact]
    public void HTTP_08_HeaderNamesAreCaseInsensitive()
    {
        var parsed = HttpBinding.DecodeBinary(null,
            [new("CE-SPECVERSION", "1.0"), new("Ce-Id", "1"), new("ce-SOURCE", "/s"), new("CE-type", "t"), new("Ce-MyExt", "v")],
            ReadOnlyMemory<byte>.Empty);

        Assert.True(parsed.TryGetAttribute("myext", out var ext));
        Assert.Equal("v", ext.Text);
    }

    [Theory]
    [InlineData("CE-ID")]
    [InlineData("Ce-Id")]
    [InlineData("ce-ID")]
    public void HTTP_08_RequiredHeaderInAnyCase_IsFound(string idHeader)
    {
        var parsed = HttpBinding.DecodeBinary(null,
            [new("ce-specversion", "1.0"), new(idHeader, "the-id"), new("ce-source", "/s"), new("ce-type", "t")],
            ReadOnlyMemory<byte>.Empty);

        Assert.Equal("the-id", parsed.Id);
    }

    [Fact]
    public void CE_01_SameHeaderInTwoSpellings_IsRejected()
    {
        var ex = Assert.Throws<CloudEventFormatException>(() => Decode(null, null, ("CE-ID", "2")));

        Assert.Equal("ce-id", Assert.Single(ex.Errors).Field);
    }

    [Fact]
    public void HTTP_12_UndecodableHeaderValue_IsRejectedNamingTheHeader()
    {
        var ex = Assert.Throws<CloudEventFormatException>(() => Decode(null, null, ("ce-myext", "%C0%A0")));

        Assert.Equal("ce-myext", Assert.Single(ex.Errors).Field);
    }

    [Fact]
    public void HTTP_06_CeDataContentTypeHeader_IsRejected()
    {
        var ex = Assert.Throws<CloudEventFormatException>(() => Decode("text/plain", "x", ("ce-datacontenttype", "text/plain")));

        Assert.Equal("ce-datacontenttype", Assert.Single(ex.Errors).Field);
    }

    [Fact]
    public void CE_01_RepeatedHeader_IsRejected()
    {
        var ex = Assert.Throws<CloudEventFormatException>(() => Decode(null, null, ("ce-id", "2")));

        Assert.Equal("ce-id", Assert.Single(ex.Errors).Field);
    }

    [Fact]
    public void JsonBodyUnderJsonContentType_IsJsonData_AndTravelsAsAJsonValue()
    {
        var parsed = Decode("application/json; charset=utf-8", "{\"a\":1}");

        Assert.True(parsed.Data.IsJson);
        Assert.Contains("\"data\":{\"a\":1}", Encoding.UTF8.GetString(JsonEventFormat.ToUtf8Bytes(parsed)), StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidJsonUnderJsonContentType_StaysOpaqueBytes()
    {
        var parsed = Decode("application/json", "{not json");

        Assert.False(parsed.Data.IsJson);
        var again = JsonEventFormat.Parse(JsonEventFormat.ToUtf8Bytes(parsed));
        Assert.Equal("{not json", Encoding.UTF8.GetString(again.Data.Bytes.Span));
    }

    [Fact]
    public void HTTP_08_EncodeBinaryHeaders_WritesEveryAttributeButDataContentType()
    {
        var parsed = JsonEventFormat.Parse("""
            {"specversion":"1.0","id":"1","source":"/s","type":"t","datacontenttype":"text/plain","subject":"a b",
             "time":"2018-04-05T17:31:00+01:00","dataschema":"https://x/s","count":3,"flag":false,"data":"x"}
            """u8);

        var headers = HttpBinding.EncodeBinaryHeaders(parsed).ToDictionary(h => h.Key, h => h.Value);

        Assert.Equal("a%20b", headers["ce-subject"]);
        Assert.Equal("2018-04-05T17:31:00+01:00", headers["ce-time"]);
        Assert.Equal("3", headers["ce-count"]);
        Assert.Equal("false", headers["ce-flag"]);
        Assert.Equal("https://x/s", headers["ce-dataschema"]);
        Assert.False(headers.ContainsKey("ce-datacontenttype"));
        Assert.Equal("text/plain", HttpBinding.BinaryContentType(parsed));
    }

    [Fact]
    public void HTTP_11_HTTP_12_EncodedHeaders_DecodeToTheSameAttributes()
    {
        var original = new CloudEventBuilder()
            .Set("specversion", "1.0").Set("id", "id \"1\" 100%").Set("source", "/s").Set("type", "t")
            .Set("subject", "Euro € 😀").Set("time", "2018-04-05T17:31:00+01:00").Set("count", CloudEventValue.FromInteger(-3))
            .Build();

        var parsed = HttpBinding.DecodeBinary(null, HttpBinding.EncodeBinaryHeaders(original), ReadOnlyMemory<byte>.Empty);

        Assert.Equal(original.Id, parsed.Id);
        Assert.Equal(original.Subject, parsed.Subject);
        Assert.Equal(original.Time, parsed.Time);

        // Binary mode carries no types: the Integer arrives as its canonical string (HTTP-10).
        Assert.True(parsed.TryGetAttribute("count", out var count));
        Assert.Equal(CloudEventValue.FromString("-3"), count);
    }

    [Fact]
    public void WithExtension_ReplacesOrAppends_AndLeavesTheRestAlone()
    {
        var parsed = Decode(null, null, ("ce-hops", "1"));

        var changed = parsed.WithExtension("hops", CloudEventValue.FromInteger(2)).WithExtension("extra", CloudEventValue.FromString("e"));

        Assert.True(changed.TryGetAttribute("hops", out var hops));
        Assert.Equal(CloudEventValueType.Integer, hops.Type);
        Assert.Equal(2, changed.Extensions.Count);
        Assert.True(parsed.TryGetAttribute("hops", out var original));
        Assert.Equal("1", original.Text);
        Assert.Throws<ArgumentException>(() => parsed.WithExtension("id", CloudEventValue.FromString("x")));
    }

    [Fact]
    public void WithoutExtension_RemovesOnlyThatOne_AndIsANoOpWhenAbsent()
    {
        var parsed = Decode(null, null, ("ce-first", "1"), ("ce-second", "2"), ("ce-third", "3"));

        var removed = parsed.WithoutExtension("second");

        Assert.Equal(["first", "third"], removed.Extensions.Select(e => e.Key));
        Assert.Equal(3, parsed.Extensions.Count);
        Assert.Same(parsed, parsed.WithoutExtension("absent"));
    }
}
