using Gateway.Protocols.CloudEvents;

namespace Gateway.Protocols.Tests;

/// <summary>The media-type rules behind <c>datacontenttype</c> (§2.1, RFC 2046) and the JSON format's data rules.</summary>
public sealed class MediaTypesTests
{
    [Theory]
    [InlineData("text/plain", true)]
    [InlineData("application/json; charset=utf-8", true)]
    [InlineData("application/json; charset=\"utf-8\"", true)]
    [InlineData("text/plain; charset=utf-8; format=flowed", true)]
    [InlineData("application/vnd.example+json", true)]
    [InlineData("xyz", false)]
    [InlineData("", false)]
    [InlineData("text/", false)]
    [InlineData("/json", false)]
    [InlineData("text/plain, application/json", false)]
    [InlineData("text/plain; charset", false)]
    [InlineData("text /plain", false)]
    public void IsValid_Rfc2046MediaType(string value, bool expected)
    {
        Assert.Equal(expected, MediaTypes.IsValid(value));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("application/json", true)]
    [InlineData("APPLICATION/JSON; charset=utf-8", true)]
    [InlineData("text/json", true)]
    [InlineData("application/cloudevents+json", true)]
    [InlineData("application/json-patch+json", true)]
    [InlineData("application/jsonl", false)]
    [InlineData("application/json5", false)]
    [InlineData("application/xml", false)]
    [InlineData("text/plain; format=json", false)]
    public void JSON_07_IsJson_StarSlashJsonOrPlusJson(string? contentType, bool expected)
    {
        Assert.Equal(expected, MediaTypes.IsJson(contentType));
    }

    [Theory]
    [InlineData("text/plain", true)]
    [InlineData("TEXT/CSV", true)]
    [InlineData("application/xml", true)]
    [InlineData("image/svg+xml", true)]
    [InlineData("application/x-www-form-urlencoded; charset=utf-8", true)]
    [InlineData("application/octet-stream", false)]
    [InlineData("image/png", false)]
    [InlineData(null, false)]
    public void JSON_08_IsText_TravelsAsAString(string? contentType, bool expected)
    {
        Assert.Equal(expected, MediaTypes.IsText(contentType));
    }
}
