using System.Net;
using System.Security.Cryptography;
using System.Text;
using Gateway.SpecConformance.Infrastructure;

namespace Gateway.SpecConformance;

/// <summary>
/// WH-12: the rate granted at <c>OPTIONS /events</c> is the rate enforced, per producer key or
/// per client address; over it, <c>429</c> with <c>Retry-After</c>. Bounded: a handful of requests per test.
/// </summary>
public sealed class RateLimitTests
{
    private static async Task<HttpStatusCode[]> PostAsync(HttpClient client, int count, string? key = null)
    {
        var statuses = new HttpStatusCode[count];
        for (var i = 0; i < count; i++)
        {
            var path = key is null ? "events" : $"events?access_token={key}";
            using var response = await client.PostBinaryEventAsync($"r-{i}", GatewayApi.NewType(), path: path);
            statuses[i] = response.StatusCode;
        }

        return statuses;
    }

    [Fact]
    public async Task WH_12_TheGrantedRate_IsEnforcedPerAddress_With429AndRetryAfter()
    {
        await using var gateway = await GatewayProcess.StartAsync(settings: new Dictionary<string, string> { ["Gateway:Ingress:AllowedRate"] = "3" });
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };
        using var handshake = new HttpRequestMessage(HttpMethod.Options, "events");
        handshake.Headers.Add("WebHook-Request-Origin", "producer.example.com");
        using var granted = await client.SendAsync(handshake);

        var statuses = await PostAsync(client, 3);
        using var over = await client.PostBinaryEventAsync("r-over", GatewayApi.NewType());

        Assert.Equal("3", granted.Headers.GetValues("WebHook-Allowed-Rate").Single());
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Accepted, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.Equal("application/problem+json", over.Content.Headers.ContentType?.MediaType);
        Assert.InRange(over.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 60);
    }

    [Fact]
    public async Task EachProducerKey_HasItsOwnBudget()
    {
        static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        await using var gateway = await GatewayProcess.StartAsync(settings: new Dictionary<string, string>
        {
            ["Gateway:Ingress:AllowedRate"] = "2",
            ["Gateway:Auth:ApiKeys:one:Sha256"] = Hash("key-one"),
            ["Gateway:Auth:ApiKeys:one:Scopes"] = "events:write",
            ["Gateway:Auth:ApiKeys:two:Sha256"] = Hash("key-two"),
            ["Gateway:Auth:ApiKeys:two:Scopes"] = "events:write",
        });
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };

        var first = await PostAsync(client, 3, "key-one");
        var second = await PostAsync(client, 2, "key-two");

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], first);
        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted], second);
    }
}
