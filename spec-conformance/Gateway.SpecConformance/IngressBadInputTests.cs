using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.SpecConformance.Infrastructure;

namespace Gateway.SpecConformance;

/// <summary>Bad input at ingress: always a 4xx problem naming the field, never a 5xx.</summary>
public sealed class IngressBadInputTests(ConformanceEnvironment env)
{
    private async Task<(HttpStatusCode Status, string[] Fields)> PostAsync(HttpContent content, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "events") { Content = content };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await env.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var fields = JsonNode.Parse(body)!["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>()).ToArray();
        return (response.StatusCode, fields);
    }

    private static StringContent Structured(string json) => new(json, Encoding.UTF8, "application/cloudevents+json");

    [Fact]
    public async Task MalformedJson_Answers400()
    {
        var (status, fields) = await PostAsync(Structured("{\"specversion\":"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["$"], fields);
    }

    [Fact]
    public async Task CE_01_MissingRequiredAttributes_AreEachNamed()
    {
        var (status, fields) = await PostAsync(Structured("""{"specversion":"1.0","id":"x"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["source", "type"], fields);
    }

    [Fact]
    public async Task SpecVersion03_IsRejected()
    {
        var (status, fields) = await PostAsync(Structured("""{"specversion":"0.3","id":"x","source":"/s","type":"t"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["specversion"], fields);
    }

    [Fact]
    public async Task CE_02_InvalidExtensionName_IsRejected()
    {
        var (status, fields) = await PostAsync(Structured("""{"specversion":"1.0","id":"x","source":"/s","type":"t","MyExt":"v"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["MyExt"], fields);
    }

    [Fact]
    public async Task HTTP_12_InvalidPercentEncoding_IsRejected()
    {
        var (status, fields) = await PostAsync(
            new StringContent("{}", Encoding.UTF8, "application/json"),
            ("ce-specversion", "1.0"), ("ce-id", "x"), ("ce-source", "/s"), ("ce-type", "t"), ("ce-subject", "bad%zz"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["ce-subject"], fields);
    }

    [Fact]
    public async Task HTTP_12_OverlongUtf8_IsRejected()
    {
        var (status, fields) = await PostAsync(
            new StringContent("{}", Encoding.UTF8, "application/json"),
            ("ce-specversion", "1.0"), ("ce-id", "x"), ("ce-source", "/s"), ("ce-type", "t"), ("ce-subject", "a%C0%A0b"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["ce-subject"], fields);
    }

    [Fact]
    public async Task HTTP_06_CeDataContentTypeHeader_IsRejected()
    {
        var (status, fields) = await PostAsync(
            new StringContent("{}", Encoding.UTF8, "application/json"),
            ("ce-specversion", "1.0"), ("ce-id", "x"), ("ce-source", "/s"), ("ce-type", "t"), ("ce-datacontenttype", "text/plain"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["ce-datacontenttype"], fields);
    }

    [Fact]
    public async Task UnsupportedEventFormat_Answers415()
    {
        var (status, fields) = await PostAsync(new ByteArrayContent([1, 2, 3])
        {
            Headers = { { "Content-Type", "application/cloudevents+avro" } },
        });

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal(["Content-Type"], fields);
    }

    [Fact]
    public async Task OversizedBody_Answers413()
    {
        var data = new string('x', 1024 * 1024 + 1);

        // The gateway answers 413 from Content-Length alone and closes the connection without reading the body.
        // A client still writing a megabyte can then meet a broken pipe before it reads the answer, a race every
        // HTTP/1.1 client has. Expect: 100-continue is how a producer of large bodies avoids it: it waits for the
        // verdict before sending, so this test reads the answer every time.
        var (status, fields) = await PostAsync(
            new StringContent(data, Encoding.UTF8, "text/plain"),
            ("Expect", "100-continue"),
            ("ce-specversion", "1.0"), ("ce-id", "x"), ("ce-source", "/s"), ("ce-type", "t"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(["body"], fields);
    }

    [Fact]
    public async Task CE_07_EventOf64KiB_IsAccepted()
    {
        using var response = await env.Client.PostBinaryEventAsync("big", "t.big", data: $"\"{new string('x', 64 * 1024)}\"");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
