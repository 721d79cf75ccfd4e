using System.Net;
using System.Text.Json.Nodes;
using Gateway.SpecConformance.Infrastructure;

namespace Gateway.SpecConformance;

/// <summary>
/// Events generated per subscription through its <c>config</c> (§6.2: config drives generation; the spec's own
/// example is <c>{"interval": 5, "data": "hello"}</c>), delivered to that subscription and to no other.
/// </summary>
public sealed class TimerTests(ConformanceEnvironment env)
{
    private const string TimerType = "io.cloudevents.gateway.timer";

    [Fact]
    public async Task AnIntervalSubscription_GetsItsEvents_AndASubscriptionToEverything_DoesNot()
    {
        var timerPath = env.Sink.NewPath();
        var everythingPath = env.Sink.NewPath();
        var everything = await env.Client.CreateSubscriptionAsync($$$"""{"sink":"{{{env.Sink.Url(everythingPath)}}}","protocol":"HTTP"}""");
        var everythingId = everything["id"]!.GetValue<string>();
        await env.Client.WaitForStateAsync(everythingId, "active");
        var timer = await env.Client.CreateSubscriptionAsync(
            $$$"""{"sink":"{{{env.Sink.Url(timerPath)}}}","protocol":"HTTP","config":{"interval":1,"data":"hello"}}""");
        var timerId = timer["id"]!.GetValue<string>();

        var ticks = await env.Sink.CollectAsync(timerPath, r => r.Count >= 2, TimeSpan.FromSeconds(20));
        await env.Client.DeleteAsync($"subscriptions/{timerId}");

        // Delivery keeps the log's order: once an event posted after the ticks reached the catch-all subscription,
        // any tick it was given would have arrived before it.
        var marker = GatewayApi.NewType();
        await env.Client.PostBinaryEventAsync("after-the-ticks", marker);
        var seen = await env.Sink.CollectAsync(everythingPath, r => r.Exists(e => e.Header("ce-type") == marker), TimeSpan.FromSeconds(20));
        await env.Client.DeleteAsync($"subscriptions/{everythingId}");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"interval":1,"data":"hello"}"""), timer["config"]));
        Assert.True(ticks.Count >= 2, $"{ticks.Count} timer events arrived");
        Assert.All(ticks, tick =>
        {
            Assert.Equal("\"hello\"", tick.BodyText);
            Assert.Equal("application/json", tick.Header("Content-Type"));
            Assert.Equal(TimerType, tick.Header("ce-type"));
            Assert.Equal($"/subscriptions/{Uri.EscapeDataString(timerId)}", tick.Header("ce-source"));
            Assert.NotNull(tick.Header("ce-time"));
            Assert.Null(tick.Header("ce-gatewaytarget"));
        });
        Assert.Equal(ticks.Count, ticks.Select(t => t.Header("ce-id")).Distinct().Count());
        Assert.Contains(seen, e => e.Header("ce-type") == marker);
        Assert.DoesNotContain(seen, e => e.Header("ce-type") == TimerType);
    }

    [Fact]
    public async Task ACronSubscription_FiresOnItsSchedule_WithItsSourceAndType()
    {
        var path = env.Sink.NewPath();
        var type = GatewayApi.NewType();
        var created = await env.Client.CreateSubscriptionAsync($$$"""
            {"sink":"{{{env.Sink.Url(path)}}}","protocol":"HTTP","source":"/clock","types":["{{{type}}}"],
             "config":{"cron":"* * * * * *","timezone":"Europe/Berlin","data":{"n":1} } }
            """);

        var ticks = await env.Sink.CollectAsync(path, r => r.Count >= 2, TimeSpan.FromSeconds(20));
        await env.Client.DeleteAsync($"subscriptions/{created["id"]!.GetValue<string>()}");

        Assert.True(ticks.Count >= 2, $"{ticks.Count} timer events arrived");
        Assert.All(ticks, tick =>
        {
            Assert.Equal("/clock", tick.Header("ce-source"));
            Assert.Equal(type, tick.Header("ce-type"));
            Assert.Equal("""{"n":1}""", tick.BodyText);
            Assert.EndsWith("Z", tick.Header("ce-time"), StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("binary")]
    [InlineData("structured")]
    public async Task Producers_MayNotAddressASubscription(string mode)
    {
        using var response = mode == "binary"
            ? await env.Client.PostBinaryEventAsync("forged", GatewayApi.NewType(), headers: new Dictionary<string, string> { ["ce-gatewaytarget"] = "someone" })
            : await env.Client.PostAsync("events", new StringContent(
                """{"specversion":"1.0","id":"forged","source":"/x","type":"t","gatewaytarget":"someone"}""",
                System.Text.Encoding.UTF8, "application/cloudevents+json"));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(mode == "binary" ? "ce-gatewaytarget" : "gatewaytarget", problem["errors"]![0]!["field"]!.GetValue<string>());
    }
}
