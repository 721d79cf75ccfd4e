using System.Net;
using System.Text.Json.Nodes;
using Gateway.SpecConformance.Infrastructure;

namespace Gateway.SpecConformance;

/// <summary>The <c>sql</c> dialect end to end (FLT-15 to FLT-17, the §7.5 rows that need it).</summary>
public sealed class CesqlFilterTests(ConformanceEnvironment env)
{
    [Theory]
    [InlineData("sql")]
    [InlineData("cesql")]
    public async Task FLT_15_SqlFilter_DeliversOnlyEventsForWhichItIsTrue(string dialect)
    {
        var type = GatewayApi.NewType();
        var path = env.Sink.NewPath();
        var created = await env.Client.CreateSubscriptionAsync($$$"""
            {"sink":"{{{env.Sink.Url(path)}}}","protocol":"HTTP",
             "filters":[{"{{{dialect}}}":"type = '{{{type}}}' AND (priority > 3 OR EXISTS urgent)"}]}
            """);
        await env.Client.WaitForStateAsync(created["id"]!.GetValue<string>(), "active");

        await env.Client.PostBinaryEventAsync("low", type, headers: new Dictionary<string, string> { ["ce-priority"] = "2" });
        await env.Client.PostBinaryEventAsync("no-priority", type);
        await env.Client.PostBinaryEventAsync("high", type, headers: new Dictionary<string, string> { ["ce-priority"] = "5" });
        await env.Client.PostBinaryEventAsync("urgent", type,
            headers: new Dictionary<string, string> { ["ce-priority"] = "1", ["ce-urgent"] = "yes" });

        // "no-priority" is not delivered even though OR follows: the missing attribute is an error (SQL-07, FLT-16).
        Assert.Equal("high", (await env.Sink.NextAsync(path)).Header("ce-id"));
        Assert.Equal("urgent", (await env.Sink.NextAsync(path)).Header("ce-id"));
    }

    [Theory]
    [InlineData("myext = 'x'")]
    [InlineData("NOT (myext = 'x')")]
    [InlineData("'true'")]
    [InlineData("1")]
    [InlineData("1 / 0 = 0")]
    public async Task FLT_16_ErrorOrNonBooleanResult_IsNotDelivered(string expression)
    {
        var type = GatewayApi.NewType();
        var path = env.Sink.NewPath();
        var created = await env.Client.CreateSubscriptionAsync(
            new JsonObject
            {
                ["sink"] = env.Sink.Url(path),
                ["protocol"] = "HTTP",
                ["types"] = new JsonArray(type),
                ["filters"] = new JsonArray(new JsonObject { ["any"] = new JsonArray(new JsonObject { ["sql"] = expression }, new JsonObject { ["exact"] = new JsonObject { ["id"] = "marker" } }) }),
            }.ToJsonString());
        await env.Client.WaitForStateAsync(created["id"]!.GetValue<string>(), "active");

        await env.Client.PostBinaryEventAsync("filtered", type);
        await env.Client.PostBinaryEventAsync("marker", type);

        Assert.Equal("marker", (await env.Sink.NextAsync(path)).Header("ce-id"));
    }

    [Theory]
    [InlineData("type LIKE", "parse error")]
    [InlineData("NOPE(1)", "unknown function")]
    [InlineData("x LIKE 123", "parse error")]
    public async Task FLT_17_InvalidExpression_IsRejectedAtCreate_WithThePosition(string expression, string kind)
    {
        using var response = await env.Client.PostAsync("subscriptions", GatewayApi.Json(new JsonObject
        {
            ["sink"] = env.Sink.Url(env.Sink.NewPath()),
            ["protocol"] = "HTTP",
            ["filters"] = new JsonArray(new JsonObject { ["sql"] = expression }),
        }.ToJsonString()));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = problem["errors"]![0]!;
        Assert.Equal("filters[0].sql", error["field"]!.GetValue<string>());
        Assert.Contains(kind, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("at position", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
