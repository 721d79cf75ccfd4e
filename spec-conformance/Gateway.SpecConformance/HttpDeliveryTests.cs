using System.Text;
using System.Text.Json.Nodes;
using Gateway.SpecConformance.Infrastructure;

namespace Gateway.SpecConformance;

/// <summary>Delivery to a real HTTP sink: the binding (HTTP-06 to HTTP-14) and the webhook rules (WH-nn).</summary>
public sealed class HttpDeliveryTests(ConformanceEnvironment env)
{
    private HttpClient Client => env.Client;

    private async Task<(string Path, string Type, string Id)> SubscribeAsync(string extra = "")
    {
        var type = GatewayApi.NewType();
        var path = env.Sink.NewPath();
        var created = await Client.CreateSubscriptionAsync(
            $$$"""{"sink":"{{{env.Sink.Url(path)}}}","protocol":"HTTP","types":["{{{type}}}"]{{{extra}}}}""");
        var id = created["id"]!.GetValue<string>();
        await Client.WaitForStateAsync(id, "active");
        return (path, type, id);
    }

    [Fact]
    public async Task HTTP_11_AttributesAreForwardedPercentEncoded_AndExtensionsKept()
    {
        var (path, type, _) = await SubscribeAsync();
        var json = $$$"""
            {"specversion":"1.0","id":"enc-1","source":"/s","type":"{{{type}}}","subject":"Euro € 😀",
             "time":"2018-04-05T17:31:00+02:00","myint":5,"mybool":true,"mytext":"a\"b%c",
             "datacontenttype":"text/plain","data":"hello"}
            """;

        await Client.PostAsync("events", new StringContent(json, Encoding.UTF8, "application/cloudevents+json"));
        var delivered = await env.Sink.NextAsync(path);

        Assert.Equal("Euro%20%E2%82%AC%20%F0%9F%98%80", delivered.Header("ce-subject"));
        Assert.Equal("2018-04-05T17:31:00+02:00", delivered.Header("ce-time"));
        Assert.Equal("5", delivered.Header("ce-myint"));
        Assert.Equal("true", delivered.Header("ce-mybool"));
        Assert.Equal("a%22b%25c", delivered.Header("ce-mytext"));
        Assert.Equal("1.0", delivered.Header("ce-specversion"));
        Assert.Equal("/s", delivered.Header("ce-source"));
        Assert.Equal("text/plain", delivered.Header("Content-Type"));
        Assert.Null(delivered.Header("ce-datacontenttype"));
        Assert.Equal("hello", delivered.BodyText);
    }

    [Fact]
    public async Task HTTP_13_StructuredContentMode_DeliversTheJsonFormat()
    {
        var (path, type, _) = await SubscribeAsync(""","protocolsettings":{"contentmode":"structured"}""");

        await Client.PostBinaryEventAsync("str-1", type, headers: new Dictionary<string, string> { ["ce-myext"] = "v" });
        var delivered = await env.Sink.NextAsync(path);

        Assert.StartsWith("application/cloudevents+json", delivered.Header("Content-Type"), StringComparison.Ordinal);
        var body = JsonNode.Parse(delivered.Body)!;
        Assert.Equal("str-1", body["id"]!.GetValue<string>());
        Assert.Equal("v", body["myext"]!.GetValue<string>());
        Assert.Equal(1, body["data"]!["n"]!.GetValue<int>());
    }

    [Fact]
    public async Task WH_07_WH_14_HeadersTokenAndOriginTravelWithEveryDelivery()
    {
        var (path, type, _) = await SubscribeAsync("""
            ,"protocolsettings":{"headers":{"x-tenant":"blue"}},
             "sinkcredential":{"credentialtype":"ACCESSTOKEN","accesstoken":"tok-123","accesstokenexpiresutc":"2099-01-01T00:00:00Z"}
            """);

        await Client.PostBinaryEventAsync("hdr-1", type);
        var delivered = await env.Sink.NextAsync(path);

        Assert.Equal("blue", delivered.Header("x-tenant"));
        Assert.Equal("Bearer tok-123", delivered.Header("Authorization"));
        Assert.Equal("conformance.gateway.test", delivered.Header("WebHook-Request-Origin"));
    }

    [Fact]
    public async Task PlainCredential_IsSentAsPreemptiveBasic()
    {
        var (path, type, _) = await SubscribeAsync("""
            ,"sinkcredential":{"credentialtype":"PLAIN","identifier":"user","secret":"pw"}
            """);

        await Client.PostBinaryEventAsync("basic-1", type);
        var delivered = await env.Sink.NextAsync(path);

        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:pw")), delivered.Header("Authorization"));
    }

    [Fact]
    public async Task Update_WithoutSinkCredential_KeepsTheStoredSecret_AndNullRemovesIt()
    {
        var (path, type, id) = await SubscribeAsync("""
            ,"sinkcredential":{"credentialtype":"ACCESSTOKEN","accesstoken":"keep-me","accesstokenexpiresutc":"2099-01-01T00:00:00Z"}
            """);
        var roundTrip = JsonNode.Parse(await Client.GetStringAsync($"subscriptions/{id}"))!.AsObject();
        roundTrip.Remove("status");

        await Client.PutAsync($"subscriptions/{id}", GatewayApi.Json(roundTrip.ToJsonString()));
        await Client.WaitForStateAsync(id, "active");
        await Client.PostBinaryEventAsync("kept", type);
        var kept = await env.Sink.NextAsync(path);

        roundTrip["sinkcredential"] = null;
        await Client.PutAsync($"subscriptions/{id}", GatewayApi.Json(roundTrip.ToJsonString()));
        await Client.WaitForStateAsync(id, "active");
        await Client.PostBinaryEventAsync("removed", type);
        var removed = await env.Sink.NextAsync(path);

        Assert.Equal("Bearer keep-me", kept.Header("Authorization"));
        Assert.Equal("removed", removed.Header("ce-id"));
        Assert.Null(removed.Header("Authorization"));
    }

    [Fact]
    public async Task CE_09_JsonDataWithoutContentType_IsDeliveredAsApplicationJson()
    {
        var (path, type, _) = await SubscribeAsync();
        var json = $$$"""{"specversion":"1.0","id":"nct","source":"/s","type":"{{{type}}}","data":{"a":1}}""";

        await Client.PostAsync("events", new StringContent(json, Encoding.UTF8, "application/cloudevents+json"));
        var delivered = await env.Sink.NextAsync(path);

        Assert.Equal("application/json", delivered.Header("Content-Type"));
        Assert.Equal("{\"a\":1}", delivered.BodyText);
    }
}
