using System.Net;
using System.Text.Json.Nodes;
using Gateway.SpecConformance.Infrastructure;

namespace Gateway.SpecConformance;

/// <summary>
/// What the gateway does with each answer of a sink (§5.2, WH-05, WH-06; the README's delivery guarantees): one sink
/// behaviour per test.
/// </summary>
public sealed class DeliveryOutcomeTests(ConformanceEnvironment env)
{
    private const string FastRetries = """
        "delivery":{"retry":3,"backoffdelay":"PT0.1S","backoffmax":"PT0.5S"}
        """;

    private HttpClient Client => env.Client;

    private async Task<(string Path, string Type, string Id)> SubscribeAsync(SinkBehavior behavior, string delivery = FastRetries)
    {
        var type = GatewayApi.NewType();
        var path = env.Sink.NewPath(behavior);
        var created = await Client.CreateSubscriptionAsync(
            $$$"""{"sink":"{{{env.Sink.Url(path)}}}","protocol":"HTTP","types":["{{{type}}}"],{{{delivery}}}}""");
        var id = created["id"]!.GetValue<string>();
        await Client.WaitForStateAsync(id, "active");
        return (path, type, id);
    }

    private async Task<JsonArray> DeadLettersAsync(string id, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        JsonArray letters;
        do
        {
            letters = JsonNode.Parse(await Client.GetStringAsync($"subscriptions/{id}/deadletters"))!.AsArray();
            if (letters.Count >= count)
            {
                return letters;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        return letters;
    }

    [Fact]
    public async Task ServerError_IsRetried_UntilTheSinkTakesTheEvent()
    {
        var (path, type, id) = await SubscribeAsync(new SinkBehavior(new SinkResponse(503), new SinkResponse(500)));

        await Client.PostBinaryEventAsync("retried", type);
        var attempts = await env.Sink.CollectAsync(path, r => r.Count == 3, TimeSpan.FromSeconds(15));
        var status = await Client.StatusWhenAsync(id, s => s["lastsuccess"] is not null);

        Assert.Equal(["retried", "retried", "retried"], attempts.Select(a => a.Header("ce-id")));
        Assert.Equal(500, status["lastfailure"]!["code"]!.GetValue<int>());
        Assert.NotNull(status["lastsuccess"]);
        Assert.Equal(0, status["consecutivefailures"]!.GetValue<int>());
    }

    [Fact]
    public async Task WH_06_TooManyRequests_WaitsForRetryAfter_AndPausesEverySubscriptionOfThatOrigin()
    {
        var throttled = new SinkBehavior(new SinkResponse(429, new Dictionary<string, string> { ["Retry-After"] = "2" }));
        var (path, type, id) = await SubscribeAsync(throttled);
        var (otherPath, otherType, _) = await SubscribeAsync(new SinkBehavior());

        await Client.PostBinaryEventAsync("throttled", type);
        var first = await env.Sink.NextAsync(path);
        await Client.StatusWhenAsync(id, s => s["lastfailure"]?["code"]?.GetValue<int>() == 429);
        await Client.PostBinaryEventAsync("same-origin", otherType);
        var second = await env.Sink.NextAsync(path);
        var other = await env.Sink.NextAsync(otherPath);

        Assert.True(second.At - first.At >= TimeSpan.FromSeconds(1.9), $"retried after {second.At - first.At}");
        Assert.True(other.At - first.At >= TimeSpan.FromSeconds(1.9), $"the same origin got a request after {other.At - first.At}");
    }

    [Fact]
    public async Task WH_06_RetryAfterLongerThanRetryAfterMax_DeadLetters()
    {
        var (_, type, id) = await SubscribeAsync(
            new SinkBehavior(new SinkResponse(503, new Dictionary<string, string> { ["Retry-After"] = "3600" })),
            """ "delivery":{"retryaftermax":"PT10S"} """);

        await Client.PostBinaryEventAsync("too-long", type);
        var letters = await DeadLettersAsync(id, 1);

        Assert.Equal("retry-after-too-long", letters.Single()!["reason"]!.GetValue<string>());
        Assert.Equal(503, letters.Single()!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Gone_DisablesTheSubscription_AndAnUpdateResumesWithTheKeptEvent()
    {
        var (path, type, id) = await SubscribeAsync(new SinkBehavior(new SinkResponse(410)));

        await Client.PostBinaryEventAsync("gone", type);
        var disabled = await Client.WaitForStateAsync(id, "disabled");
        var again = JsonNode.Parse(await Client.GetStringAsync($"subscriptions/{id}"))!.AsObject();
        again.Remove("status");
        using var update = await Client.PutAsync($"subscriptions/{id}", GatewayApi.Json(again.ToJsonString()));
        var attempts = await env.Sink.CollectAsync(path, r => r.Count == 2, TimeSpan.FromSeconds(15));

        Assert.Contains("410", disabled["status"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal(["gone", "gone"], attempts.Select(a => a.Header("ce-id")));
    }

    [Fact]
    public async Task ClientError_IsDeadLetteredAtOnce_AndRedriveDeliversItOnceTheSinkIsFixed()
    {
        var behavior = new SinkBehavior(new SinkResponse(400));
        var (path, type, id) = await SubscribeAsync(behavior);

        await Client.PostBinaryEventAsync("bad-request", type, headers: new Dictionary<string, string> { ["ce-myext"] = "kept" });
        var letters = await DeadLettersAsync(id, 1);
        using var redrive = await Client.PostAsync($"subscriptions/{id}/deadletters/redrive", null);
        var attempts = await env.Sink.CollectAsync(path, r => r.Count == 2, TimeSpan.FromSeconds(15));
        var after = JsonNode.Parse(await Client.GetStringAsync($"subscriptions/{id}/deadletters"))!.AsArray();

        var letter = letters.Single()!;
        Assert.Equal("permanent-failure", letter["reason"]!.GetValue<string>());
        Assert.Equal(400, letter["code"]!.GetValue<int>());
        Assert.Equal(1, letter["attempts"]!.GetValue<int>());
        Assert.Equal("bad-request", letter["event"]!["id"]!.GetValue<string>());
        Assert.Equal("kept", letter["event"]!["myext"]!.GetValue<string>());
        Assert.Equal("permanent-failure", letter["event"]!["deadletterreason"]!.GetValue<string>());
        Assert.Equal(400, letter["event"]!["deadlettercode"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Accepted, redrive.StatusCode);
        Assert.Equal(1, JsonNode.Parse(await redrive.Content.ReadAsStringAsync())!["redriven"]!.GetValue<int>());
        Assert.Equal(2, attempts.Count);
        Assert.Empty(after);
    }

    [Fact]
    public async Task WH_05_RedirectIsNeverFollowed_AndDeadLetters()
    {
        var elsewhere = env.Sink.NewPath();
        var (_, type, id) = await SubscribeAsync(new SinkBehavior(
            new SinkResponse(307, new Dictionary<string, string> { ["Location"] = env.Sink.Url(elsewhere) })));

        await Client.PostBinaryEventAsync("redirected", type);
        var letters = await DeadLettersAsync(id, 1);
        var followed = await env.Sink.CollectAsync(elsewhere, r => r.Count > 0, TimeSpan.FromSeconds(1));

        Assert.Equal(307, letters.Single()!["code"]!.GetValue<int>());
        Assert.Empty(followed);
    }

    [Fact]
    public async Task RetriesExhausted_GoToTheDeadLetterSink_WithTheDeadLetterAttributes()
    {
        var deadLetterPath = env.Sink.NewPath();
        var (path, type, id) = await SubscribeAsync(
            new SinkBehavior(Status: 503),
            $$$"""
            "delivery":{"retry":2,"backoffdelay":"PT0.1S","deadletter":{"protocol":"HTTP","sink":"{{{env.Sink.Url(deadLetterPath)}}}"}}
            """);

        await Client.PostBinaryEventAsync("exhausted", type);
        var attempts = await env.Sink.CollectAsync(path, r => r.Count == 3, TimeSpan.FromSeconds(15));
        var dead = await env.Sink.NextAsync(deadLetterPath);

        Assert.Equal(3, attempts.Count);
        Assert.Equal("exhausted", dead.Header("ce-id"));
        Assert.Equal("retries-exhausted", dead.Header("ce-deadletterreason"));
        Assert.Equal("503", dead.Header("ce-deadlettercode"));
        Assert.Equal("3", dead.Header("ce-deadletterattempts"));
        Assert.NotNull(dead.Header("ce-deadlettertime"));
        Assert.Empty(JsonNode.Parse(await Client.GetStringAsync($"subscriptions/{id}/deadletters"))!.AsArray());
    }

    [Fact]
    public async Task ExpiredEvent_IsDeadLetteredAsExpired()
    {
        var (path, type, id) = await SubscribeAsync(new SinkBehavior());

        await Client.PostBinaryEventAsync("expired", type,
            headers: new Dictionary<string, string> { ["ce-expirytime"] = "2000-01-01T00:00:00Z" });
        var letters = await DeadLettersAsync(id, 1);
        await Client.PostBinaryEventAsync("fresh", type);

        Assert.Equal("expired", letters.Single()!["reason"]!.GetValue<string>());
        Assert.Equal("fresh", (await env.Sink.NextAsync(path)).Header("ce-id"));
    }

    [Fact]
    public async Task ReplyChaining_RoutesTheSinksReplyToItsOwnSubscribers()
    {
        var replyType = GatewayApi.NewType();
        var reply = new SinkResponse(200, new Dictionary<string, string>
        {
            ["ce-specversion"] = "1.0", ["ce-id"] = "reply-1", ["ce-source"] = "/app-a", ["ce-type"] = replyType,
            ["Content-Type"] = "application/json",
        }, "{\"step\":2}");
        var (_, type, _) = await SubscribeAsync(new SinkBehavior(reply));
        var (replyPath, _, _) = await SubscribeAsyncFor(replyType);

        await Client.PostBinaryEventAsync("step-1", type);
        var routed = await env.Sink.NextAsync(replyPath);

        Assert.Equal("reply-1", routed.Header("ce-id"));
        Assert.Equal("1", routed.Header("ce-gatewayhops"));
        Assert.Equal("{\"step\":2}", routed.BodyText);
    }

    [Fact]
    public async Task ReplyLoop_EndsAtTheHopLimit_InTheDeadLetters()
    {
        var type = GatewayApi.NewType();
        var echo = new SinkBehavior
        {
            Default = new SinkResponse(200, new Dictionary<string, string>
            {
                ["ce-specversion"] = "1.0", ["ce-id"] = "loop", ["ce-source"] = "/loop", ["ce-type"] = type,
            }),
        };
        var path = env.Sink.NewPath(echo);
        var created = await Client.CreateSubscriptionAsync(
            $$$"""{"sink":"{{{env.Sink.Url(path)}}}","protocol":"HTTP","types":["{{{type}}}"]}""");
        var id = created["id"]!.GetValue<string>();
        await Client.WaitForStateAsync(id, "active");

        await Client.PostBinaryEventAsync("loop", type);
        var letters = await DeadLettersAsync(id, 1);
        var deliveries = await env.Sink.CollectAsync(path, r => r.Count == 17, TimeSpan.FromSeconds(15));

        Assert.Equal("hop-limit-exceeded", letters.Single()!["reason"]!.GetValue<string>());
        Assert.Equal(17, deliveries.Count);
        Assert.Equal("16", deliveries[^1].Header("ce-gatewayhops"));
    }

    [Fact]
    public async Task Status_ShowsTheBacklogOfASinkThatIsDown()
    {
        var (_, type, id) = await SubscribeAsync(new SinkBehavior(Status: 503),
            """ "delivery":{"retry":100,"backoffdelay":"PT10S"} """);

        await Client.PostBinaryEventAsync("waiting-1", type);
        await Client.PostBinaryEventAsync("waiting-2", type);
        var status = await Client.StatusWhenAsync(id, s => s["backlog"]!.GetValue<long>() == 2 && s["consecutivefailures"]!.GetValue<long>() >= 2);

        Assert.Equal(2, status["backlog"]!.GetValue<long>());
        Assert.NotNull(status["oldestwaiting"]);
        Assert.True(status["consecutivefailures"]!.GetValue<long>() >= 2);
    }

    private async Task<(string Path, string Type, string Id)> SubscribeAsyncFor(string type)
    {
        var path = env.Sink.NewPath();
        var created = await Client.CreateSubscriptionAsync(
            $$$"""{"sink":"{{{env.Sink.Url(path)}}}","protocol":"HTTP","types":["{{{type}}}"]}""");
        var id = created["id"]!.GetValue<string>();
        await Client.WaitForStateAsync(id, "active");
        return (path, type, id);
    }
}
