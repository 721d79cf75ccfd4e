using System.Text;
using System.Text.Json;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Http;
using Gateway.Protocols.CloudEvents.Json;

namespace Gateway.Protocols.Tests;

/// <summary>Moving data between the JSON format and HTTP binary mode: the re-encoding table of cloudevents.md §3.</summary>
public sealed class ReencodingTests
{
    private const string Required = "\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\"";

    private static readonly KeyValuePair<string, string>[] RequiredHeaders =
    [
        new("ce-specversion", "1.0"), new("ce-id", "1"), new("ce-source", "/s"), new("ce-type", "t"),
    ];

    /// <summary>§3's table, row by row: JSON members → Content-Type (null: no header) and body.</summary>
    [Theory]
    [InlineData("""{"datacontenttype":"application/xml","data":"<much wow=\"xml\"/>"}""", "application/xml", """<much wow="xml"/>""")]
    [InlineData("""{"datacontenttype":"application/json","data":{"a":[1,"x"]}}""", "application/json", """{"a":[1,"x"]}""")]
    [InlineData("""{"data":"I'm just a string"}""", "application/json", "\"I'm just a string\"")]
    [InlineData("""{"data_base64":"eyAieHl6IjogMTIzIH0="}""", null, """{ "xyz": 123 }""")]
    public void JSON_06_to_JSON_13_JsonToBinary_FollowsTheTable(string members, string? contentType, string body)
    {
        var parsed = JsonEventFormat.Parse(Encoding.UTF8.GetBytes("{" + Required + "," + members[1..]));

        Assert.Equal(contentType, HttpBinding.BinaryContentType(parsed));
        Assert.Equal(body, Encoding.UTF8.GetString(parsed.Data.Bytes.Span));
    }

    /// <summary>The reverse: a binary request written in the JSON format, then read back to the same bytes.</summary>
    [Theory]
    [InlineData("application/xml", """<much wow="xml"/>""", "data", JsonValueKind.String)]
    [InlineData("text/plain; charset=utf-8", "héllo wörld", "data", JsonValueKind.String)]
    [InlineData("application/json", """{"a":1}""", "data", JsonValueKind.Object)]
    [InlineData("application/json; charset=utf-8", "[1,2]", "data", JsonValueKind.Array)]
    [InlineData("application/json", "{not json", "data_base64", JsonValueKind.String)]
    [InlineData("application/octet-stream", "\u0001\u0002", "data_base64", JsonValueKind.String)]
    [InlineData(null, """{ "xyz": 123 }""", "data_base64", JsonValueKind.String)]
    public void JSON_06_to_JSON_08_BinaryToJson_PicksTheDataMember(string? contentType, string body, string member, JsonValueKind kind)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var decoded = HttpBinding.DecodeBinary(contentType, RequiredHeaders, bytes);

        var json = JsonEventFormat.ToUtf8Bytes(decoded);

        using (var document = JsonDocument.Parse(json))
        {
            var root = document.RootElement;
            Assert.Equal(kind, root.GetProperty(member).ValueKind);
            Assert.False(root.TryGetProperty(member == "data" ? "data_base64" : "data", out _));

            // JSON-06: without a known content type, datacontenttype MUST NOT be present.
            Assert.Equal(contentType, root.TryGetProperty("datacontenttype", out var declared) ? declared.GetString() : null);
        }

        var again = JsonEventFormat.Parse(json);
        Assert.Equal(bytes, again.Data.Bytes.ToArray());
        Assert.Equal(decoded.Data.IsJson, again.Data.IsJson);
        Assert.Equal(contentType, HttpBinding.BinaryContentType(again));
    }
}
