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
    [InlineData("application/json", HttpContentMode.Binary)]
    [InlineData(null, HttpContentMode.Binary)]
    public void HTTP_05_ModeIsDetectedFromContentType(string? contentType, HttpContentMode mode)
    {
        Assert.Equal(mode, HttpBinding.DetectMode(contentType));
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
    public void BodyWithoutContentType_IsBinary_AndTheJsonFormatUsesDataBase64WithoutDataContentType()
    {
        var parsed = Decode(null, "{ \"xyz\": 123 }");

        var json = Encoding.UTF8.GetString(JsonEventFormat.ToUtf8Bytes(parsed));

        Assert.Contains("\"data_base64\":\"eyAieHl6IjogMTIzIH0=\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("datacontenttype", json, StringComparison.Ordinal);
        Assert.Null(HttpBinding.BinaryContentType(parsed));
    }

    [Fact]
    public void JSON_13_StringDataWithoutContentType_IsDeliveredAsApplicationJsonWithTheQuotes()
    {
        var parsed = JsonEventFormat.Parse("""{"specversion":"1.0","id":"1","source":"/s","type":"t","data":"I'm just a string"}"""u8);

        Assert.Equal("application/json", HttpBinding.BinaryContentType(parsed));
        Assert.Equal("\"I'm just a string\"", Encoding.UTF8.GetString(parsed.Data.Bytes.Span));
    }

    [Fact]
    public void JSON_08_XmlData_TravelsAsTheDocumentItself()
    {
        var parsed = JsonEventFormat.Parse("""{"specversion":"1.0","id":"1","source":"/s","type":"t","datacontenttype":"application/xml","data":"<much wow=\"xml\"/>"}"""u8);

        Assert.Equal("application/xml", HttpBinding.BinaryContentType(parsed));
        Assert.Equal("<much wow=\"xml\"/>", Encoding.UTF8.GetString(parsed.Data.Bytes.Span));
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
}
