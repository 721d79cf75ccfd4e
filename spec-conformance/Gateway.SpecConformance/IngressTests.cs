using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.SpecConformance.Infrastructure;

namespace Gateway.SpecConformance;

/// <summary>Webhook ingress in the three content modes (HTTP-05 to HTTP-16) and as a handshake target (WH-11/12).</summary>
public sealed class IngressTests(ConformanceEnvironment env)
{
    private HttpClient Client => env.Client;

    private async Task<(string Path, string Type)> SubscribeAsync()
    {
        var type = GatewayApi.NewType();
        var path = env.Sink.NewPath();
        var created = await Client.CreateSubscriptionAsync(
            $$$"""{"sink":"{{{env.Sink.Url(path)}}}","protocol":"HTTP","types":["{{{type}}}"]}""");
        await Client.WaitForStateAsync(created["id"]!.GetValue<string>(), "active");
        return (path, type);
    }

    [Fact]
    public async Task HTTP_08_BinaryMode_IsAcceptedAndDelivered()
    {
        var (path, type) = await SubscribeAsync();

        using var response = await Client.PostBinaryEventAsync("b-1", type);
        var delivered = await env.Sink.NextAsync(path);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("b-1", delivered.Header("ce-id"));
        Assert.Equal("{\"n\":1}", delivered.BodyText);
    }

    [Fact]
    public async Task HTTP_13_StructuredMode_IsAcceptedAndDelivered()
    {
        var (path, type) = await SubscribeAsync();
        var json = $$$"""{"specversion":"1.0","id":"s-1","source":"/s","type":"{{{type}}}","datacontenttype":"application/json","data":{"k":"v"}}""";

        using var response = await Client.PostAsync("events",
            new StringContent(json, Encoding.UTF8, "application/cloudevents+json"));
        var delivered = await env.Sink.NextAsync(path);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("s-1", delivered.Header("ce-id"));
        Assert.Equal("application/json", delivered.Header("Content-Type"));
        Assert.Equal("v", JsonNode.Parse(delivered.Body)!["k"]!.GetValue<string>());
    }

    [Fact]
    public async Task HTTP_16_BatchMode_DeliversEveryEventInOrder()
    {
        var (path, type) = await SubscribeAsync();
        var batch = $$$"""
            [{"specversion":"1.0","id":"batch-1","source":"/s","type":"{{{type}}}"},
             {"specversion":"1.0","id":"batch-2","source":"/s","type":"{{{type}}}"}]
            """;

        using var response = await Client.PostAsync("events",
            new StringContent(batch, Encoding.UTF8, "application/cloudevents-batch+json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("batch-1", (await env.Sink.NextAsync(path)).Header("ce-id"));
        Assert.Equal("batch-2", (await env.Sink.NextAsync(path)).Header("ce-id"));
    }

    [Fact]
    public async Task JSON_14_EmptyBatch_IsAccepted()
    {
        using var response = await Client.PostAsync("events",
            new StringContent("[]", Encoding.UTF8, "application/cloudevents-batch+json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task CE_08_InvalidBatch_IsRejectedWhole_AndNothingOfItIsDelivered()
    {
        var (path, type) = await SubscribeAsync();
        var batch = $$$"""
            [{"specversion":"1.0","id":"good","source":"/s","type":"{{{type}}}"},
             {"specversion":"1.0","id":"","source":"/s","type":"{{{type}}}"}]
            """;

        using var rejected = await Client.PostAsync("events",
            new StringContent(batch, Encoding.UTF8, "application/cloudevents-batch+json"));
        using var marker = await Client.PostBinaryEventAsync("marker", type);

        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Contains("[1].id", await rejected.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("marker", (await env.Sink.NextAsync(path)).Header("ce-id"));
    }

    [Fact]
    public async Task WH_12_OptionsHandshake_GrantsAnyOriginAndUnlimitedRate()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "events");
        request.Headers.Add("WebHook-Request-Origin", "producer.example.com");
        request.Headers.Add("WebHook-Request-Rate", "120");

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("WebHook-Allowed-Origin").Single());
        Assert.Equal("*", response.Headers.GetValues("WebHook-Allowed-Rate").Single());
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task WH_11_OptionsHandshake_WithoutOrigin_Answers400()
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Options, "events"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("WebHook-Allowed-Origin"));
    }

    [Fact]
    public async Task Healthz_Answers200()
    {
        using var response = await Client.GetAsync("healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
