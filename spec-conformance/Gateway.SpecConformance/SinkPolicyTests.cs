using System.Net;
using System.Text.Json.Nodes;
using Gateway.SpecConformance.Infrastructure;

namespace Gateway.SpecConformance;

/// <summary>The SSRF guard and the HTTPS requirement for sinks (WH-01; design.md, "Configuration").</summary>
public sealed class SinkPolicyTests(ConformanceEnvironment env)
{
    [Fact]
    public async Task PrivateSinksRefused_LiteralAddressAtCreate_AndResolvedAddressAtConnect()
    {
        await using var gateway = await GatewayProcess.StartAsync(settings: new Dictionary<string, string>
        {
            ["Gateway:Delivery:AllowPrivateSinks"] = "false",
            ["Gateway:Webhook:ValidateSinks"] = "off",
        });
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };
        var path = env.Sink.NewPath();

        using var literal = await client.PostAsync("subscriptions", GatewayApi.Json(
            $$$"""{"sink":"{{{env.Sink.Url(path)}}}","protocol":"HTTP"}"""));
        var type = GatewayApi.NewType();
        var byName = await client.CreateSubscriptionAsync(
            $$$"""{"sink":"http://localhost:{{{env.Sink.BaseAddress.Port}}}{{{path}}}","protocol":"HTTP","types":["{{{type}}}"]}""");
        var id = byName["id"]!.GetValue<string>();
        await client.PostBinaryEventAsync("ssrf", type);
        var letters = await WaitForDeadLetterAsync(client, id);
        var reached = await env.Sink.CollectAsync(path, r => r.Count > 0, TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.BadRequest, literal.StatusCode);
        Assert.Contains("private", letters["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(reached);
    }

    [Fact]
    public async Task WH_01_RequireHttps_RefusesPlainHttpSinks()
    {
        await using var gateway = await GatewayProcess.StartAsync(settings: new Dictionary<string, string>
        {
            ["Gateway:Delivery:RequireHttps"] = "true",
        });
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };

        using var plain = await client.PostAsync("subscriptions", GatewayApi.Json("""{"sink":"http://example.com/hook","protocol":"HTTP"}"""));
        using var secure = await client.PostAsync("subscriptions", GatewayApi.Json("""{"sink":"https://example.com/hook","protocol":"HTTP"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Contains("RequireHttps", await plain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, secure.StatusCode);
    }

    private static async Task<JsonNode> WaitForDeadLetterAsync(HttpClient client, string id)
    {
        for (var i = 0; i < 150; i++)
        {
            var letters = JsonNode.Parse(await client.GetStringAsync($"subscriptions/{id}/deadletters"))!.AsArray();
            if (letters.Count > 0)
            {
                return letters[0]!;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("no dead letter");
    }
}
