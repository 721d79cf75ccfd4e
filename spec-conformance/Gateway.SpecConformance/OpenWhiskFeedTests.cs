using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Gateway.SpecConformance.Infrastructure;

namespace Gateway.SpecConformance;

/// <summary>The feed provider endpoint and the feed action's whole lifecycle (spec/openwhisk.md, "The feed action protocol").</summary>
public sealed class OpenWhiskFeedTests(ConformanceEnvironment env, SecuredGateway secured) : IClassFixture<SecuredGateway>
{
    private HttpClient Client => env.Client;

    private static JsonObject Feed(string lifecycle, string ns, string trigger, string uuid, string key, Uri apiHost, string extra = "")
    {
        var json = JsonNode.Parse($$$"""
            {"lifecycleEvent":"{{{lifecycle}}}","triggerName":"/{{{ns}}}/{{{trigger}}}","authKey":"{{{uuid}}}:{{{key}}}",
             "apihost":"{{{apiHost.ToString().TrimEnd('/')}}}"{{{extra}}}}
            """)!.AsObject();
        return json;
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> CallAsync(JsonObject feed)
    {
        using var response = await Client.PostAsync("openwhisk/feed", GatewayApi.Json(feed.ToJsonString()));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [Fact]
    public async Task Lifecycle_Create_Read_Pause_Unpause_Update_Delete()
    {
        var (uuid, key, ns) = env.OpenWhisk.NewNamespace();
        var trigger = env.OpenWhisk.AddTrigger(ns, "orders");
        var type = GatewayApi.NewType();
        var other = GatewayApi.NewType();

        var created = await CallAsync(Feed("CREATE", ns, "orders", uuid, key, env.OpenWhisk.ApiHost, $$$""","types":"[\"{{{type}}}\"]","payload":"event" """));
        await Client.WaitForStateAsync($"openwhisk:{ns}:orders", "active");
        await Client.PostBinaryEventAsync("fed-1", type);
        var first = await trigger.NextFireAsync();
        var read = await CallAsync(Feed("READ", ns, "orders", uuid, key, env.OpenWhisk.ApiHost));

        var paused = await CallAsync(Feed("PAUSE", ns, "orders", uuid, key, env.OpenWhisk.ApiHost));
        await Client.PostBinaryEventAsync("while-paused", type);
        var quietWhilePaused = await trigger.StaysQuietAsync(TimeSpan.FromSeconds(1));
        var unpaused = await CallAsync(Feed("UNPAUSE", ns, "orders", uuid, key, env.OpenWhisk.ApiHost));
        await Client.PostBinaryEventAsync("after-unpause", type);
        var afterUnpause = await trigger.NextFireAsync();

        var updated = await CallAsync(Feed("UPDATE", ns, "orders", uuid, key, env.OpenWhisk.ApiHost, $$$""","types":["{{{other}}}"]"""));
        await Client.WaitForStateAsync($"openwhisk:{ns}:orders", "active");
        await Client.PostBinaryEventAsync("old-type", type);
        await Client.PostBinaryEventAsync("new-type", other);
        var afterUpdate = await trigger.NextFireAsync();

        var deleted = await CallAsync(Feed("DELETE", ns, "orders", uuid, key, env.OpenWhisk.ApiHost));
        using var gone = await Client.GetAsync($"subscriptions/openwhisk:{ns}:orders");

        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal($"openwhisk:{ns}:orders", created.Body["id"]!.GetValue<string>());
        Assert.Equal("fed-1", first.Parameters["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal(ns, read.Body["config"]!["namespace"]!.GetValue<string>());
        Assert.Equal(type, read.Body["config"]!["types"]![0]!.GetValue<string>());
        Assert.True(read.Body["status"]!["active"]!.GetValue<bool>());
        Assert.DoesNotContain(key, read.Body.ToJsonString(), StringComparison.Ordinal);
        Assert.False(paused.Body["status"]!["active"]!.GetValue<bool>());
        Assert.True(quietWhilePaused);
        Assert.True(unpaused.Body["status"]!["active"]!.GetValue<bool>());
        Assert.Equal("after-unpause", afterUnpause.Parameters["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal("new-type", afterUpdate.Parameters["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Create_WithAKeyThatDoesNotOwnTheTrigger_IsRefused()
    {
        var (_, _, ns) = env.OpenWhisk.NewNamespace();
        env.OpenWhisk.AddTrigger(ns, "t");
        var (otherUuid, otherKey, _) = env.OpenWhisk.NewNamespace();

        var wrongKey = await CallAsync(Feed("CREATE", ns, "t", otherUuid, otherKey, env.OpenWhisk.ApiHost));
        var unknown = await CallAsync(Feed("CREATE", ns, "t", otherUuid, "not-the-key", env.OpenWhisk.ApiHost));

        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.Status);
        Assert.NotNull(wrongKey.Body["error"]);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.Status);
    }

    [Fact]
    public async Task Create_ForAMissingTrigger_Is404_AndReadOfAnotherKey_Is401()
    {
        var (uuid, key, ns) = env.OpenWhisk.NewNamespace();
        env.OpenWhisk.AddTrigger(ns, "mine");

        var missing = await CallAsync(Feed("CREATE", ns, "nothing", uuid, key, env.OpenWhisk.ApiHost));
        await CallAsync(Feed("CREATE", ns, "mine", uuid, key, env.OpenWhisk.ApiHost));
        var readWithOtherKey = await CallAsync(Feed("READ", ns, "mine", uuid, "other", env.OpenWhisk.ApiHost));
        var again = await CallAsync(Feed("CREATE", ns, "mine", uuid, key, env.OpenWhisk.ApiHost));

        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, readWithOtherKey.Status);
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
    }

    [Fact]
    public async Task Create_WithInvalidFeedParameters_Is400WithTheField()
    {
        var (uuid, key, ns) = env.OpenWhisk.NewNamespace();
        env.OpenWhisk.AddTrigger(ns, "bad");

        var invalid = await CallAsync(Feed("CREATE", ns, "bad", uuid, key, env.OpenWhisk.ApiHost, ""","filters":[{"sql":"type LIKE"}]"""));

        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.Contains("filters[0].sql", invalid.Body["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_OfADisabledTrigger_IsRefused()
    {
        var (uuid, key, ns) = env.OpenWhisk.NewNamespace();
        var trigger = env.OpenWhisk.AddTrigger(ns, "dies");
        var type = GatewayApi.NewType();
        await CallAsync(Feed("CREATE", ns, "dies", uuid, key, env.OpenWhisk.ApiHost, $$$""","types":["{{{type}}}"]"""));
        await Client.WaitForStateAsync($"openwhisk:{ns}:dies", "active");
        trigger.FailNext(404);
        await Client.PostBinaryEventAsync("kills", type);
        await Client.WaitForStateAsync($"openwhisk:{ns}:dies", "disabled");

        var update = await CallAsync(Feed("UPDATE", ns, "dies", uuid, key, env.OpenWhisk.ApiHost));
        var read = await CallAsync(Feed("READ", ns, "dies", uuid, key, env.OpenWhisk.ApiHost));

        Assert.Equal(HttpStatusCode.BadRequest, update.Status);
        Assert.False(read.Body["status"]!["active"]!.GetValue<bool>());
        Assert.Equal(404, read.Body["status"]!["reason"]!["statusCode"]!.GetValue<int>());
    }

    [Fact]
    public async Task FeedSecret_IsRequiredWhenConfigured()
    {
        await using var gateway = await GatewayProcess.StartAsync(settings: new Dictionary<string, string> { ["Gateway:OpenWhisk:FeedSecret"] = "s3cret" });
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };
        var (uuid, key, ns) = env.OpenWhisk.NewNamespace();
        env.OpenWhisk.AddTrigger(ns, "guarded");
        var feed = Feed("CREATE", ns, "guarded", uuid, key, env.OpenWhisk.ApiHost).ToJsonString();

        using var without = await client.PostAsync("openwhisk/feed", GatewayApi.Json(feed));
        using var request = new HttpRequestMessage(HttpMethod.Post, "openwhisk/feed") { Content = GatewayApi.Json(feed) };
        request.Headers.Add("X-Feed-Secret", "s3cret");
        using var with = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
    }

    [Fact]
    public async Task FeedAction_UnderNodeJs_DrivesTheLifecycle()
    {
        var (uuid, key, ns) = env.OpenWhisk.NewNamespace();
        var trigger = env.OpenWhisk.AddTrigger(ns, "node");
        var type = GatewayApi.NewType();

        var created = await RunFeedActionAsync(new JsonObject
        {
            ["lifecycleEvent"] = "CREATE", ["triggerName"] = $"/{ns}/node", ["authKey"] = $"{uuid}:{key}",
            ["types"] = new JsonArray(type), ["gatewayUrl"] = env.GatewayAddress.ToString(),
        });
        await Client.WaitForStateAsync($"openwhisk:{ns}:node", "active");
        await Client.PostBinaryEventAsync("via-node", type);
        var fire = await trigger.NextFireAsync();
        var refused = await RunFeedActionAsync(new JsonObject
        {
            ["lifecycleEvent"] = "READ", ["triggerName"] = $"/{ns}/node", ["authKey"] = $"{uuid}:wrong",
            ["gatewayUrl"] = env.GatewayAddress.ToString(),
        });
        var deleted = await RunFeedActionAsync(new JsonObject
        {
            ["lifecycleEvent"] = "DELETE", ["triggerName"] = $"/{ns}/node", ["authKey"] = $"{uuid}:{key}",
            ["gatewayUrl"] = env.GatewayAddress.ToString(),
        });

        Assert.Equal($"openwhisk:{ns}:node", created["id"]!.GetValue<string>());
        Assert.Equal("via-node", fire.Parameters["id"]!.GetValue<string>());
        Assert.NotNull(refused["error"]);
        Assert.Null(deleted["error"]);
    }

    /// <summary>
    /// The alarms package's alarm feed (<c>wsk trigger create T --feed …/alarm -p cron … -p trigger_payload …</c>): the
    /// trigger fires on the cron schedule with the payload as its parameters, and READ shows the alarm parameters.
    /// </summary>
    [Fact]
    public async Task AlarmFeed_FiresTheTriggerOnItsCron_WithTheTriggerPayload()
    {
        var (uuid, key, ns) = env.OpenWhisk.NewNamespace();
        var trigger = env.OpenWhisk.AddTrigger(ns, "alarm");

        var created = await CallAsync(Feed("CREATE", ns, "alarm", uuid, key, env.OpenWhisk.ApiHost, """
            ,"cron":"* * * * * *","trigger_payload":{"name":"Odin","place":"Asgard"},"timezone":"America/New_York",
             "stopDate":"2100-01-01T00:00:00.000Z","strict":true
            """));
        var first = await trigger.NextFireAsync();
        var second = await trigger.NextFireAsync();
        var read = await CallAsync(Feed("READ", ns, "alarm", uuid, key, env.OpenWhisk.ApiHost));
        var deleted = await CallAsync(Feed("DELETE", ns, "alarm", uuid, key, env.OpenWhisk.ApiHost));

        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"name":"Odin","place":"Asgard"}"""), first.Parameters));
        Assert.True(JsonNode.DeepEquals(first.Parameters, second.Parameters));
        Assert.True(second.At > first.At);
        Assert.Equal("* * * * * *", read.Body["config"]!["cron"]!.GetValue<string>());
        Assert.Equal("America/New_York", read.Body["config"]!["timezone"]!.GetValue<string>());
        Assert.Equal("2100-01-01T00:00:00Z", read.Body["config"]!["stopDate"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
    }

    /// <summary>The interval feed (<c>-p minutes N</c>) through the Node.js feed action: the first fire comes at once.</summary>
    [Fact]
    public async Task IntervalFeed_UnderNodeJs_FiresAtOnce_WithAStringPayloadWrapped()
    {
        var (uuid, key, ns) = env.OpenWhisk.NewNamespace();
        var trigger = env.OpenWhisk.AddTrigger(ns, "interval");
        var type = GatewayApi.NewType();

        var created = await RunFeedActionAsync(new JsonObject
        {
            ["lifecycleEvent"] = "CREATE", ["triggerName"] = $"/{ns}/interval", ["authKey"] = $"{uuid}:{key}",
            ["minutes"] = 2, ["trigger_payload"] = "tick", ["gatewayUrl"] = env.GatewayAddress.ToString(),
        });
        // A failed CREATE would otherwise show only as a trigger that never fires.
        Assert.True(created["error"] is null, created.ToJsonString());
        var fire = await trigger.NextFireAsync();
        await Client.PostBinaryEventAsync("not-for-the-alarm", type);
        var quiet = await trigger.StaysQuietAsync(TimeSpan.FromSeconds(1));
        var subscription = JsonNode.Parse(await Client.GetStringAsync($"subscriptions/openwhisk:{ns}:interval"))!;
        await RunFeedActionAsync(new JsonObject
        {
            ["lifecycleEvent"] = "DELETE", ["triggerName"] = $"/{ns}/interval", ["authKey"] = $"{uuid}:{key}",
            ["gatewayUrl"] = env.GatewayAddress.ToString(),
        });

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"payload":"tick"}"""), fire.Parameters));
        Assert.True(quiet);
        Assert.Equal(120, subscription["config"]!["interval"]!.GetValue<int>());
        Assert.Equal("data", subscription["protocolsettings"]!["payload"]!.GetValue<string>());
    }

    [Fact]
    public async Task AlarmFeed_WithABadCron_Is400_AndTheOnceFeed_IsNotOffered()
    {
        var (uuid, key, ns) = env.OpenWhisk.NewNamespace();
        env.OpenWhisk.AddTrigger(ns, "bad");

        var badCron = await CallAsync(Feed("CREATE", ns, "bad", uuid, key, env.OpenWhisk.ApiHost, ""","cron":"61 * * * *" """));
        var once = await CallAsync(Feed("CREATE", ns, "bad", uuid, key, env.OpenWhisk.ApiHost, ""","date":"2100-01-01T00:00:00Z" """));
        var zeroMinutes = await CallAsync(Feed("CREATE", ns, "bad", uuid, key, env.OpenWhisk.ApiHost, ""","minutes":0"""));

        Assert.Equal(HttpStatusCode.BadRequest, badCron.Status);
        Assert.Contains("config.cron", badCron.Body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, once.Status);
        Assert.Equal(HttpStatusCode.BadRequest, zeroMinutes.Status);
    }

    /// <summary>Against a gateway that authenticates, the feed action sends its bound API key.</summary>
    [Fact]
    public async Task FeedAction_SendsItsBoundApiKey_ToAGatewayThatAuthenticates()
    {
        var (uuid, key, ns) = env.OpenWhisk.NewNamespace();
        env.OpenWhisk.AddTrigger(ns, "secured");
        var feed = new JsonObject
        {
            ["lifecycleEvent"] = "CREATE", ["triggerName"] = $"/{ns}/secured", ["authKey"] = $"{uuid}:{key}",
            ["gatewayUrl"] = secured.Process.BaseAddress.ToString(),
        };

        var withoutKey = await RunFeedActionAsync((JsonObject)feed.DeepClone());
        feed["gatewayApiKey"] = SecuredGateway.WriterKey;
        var withKey = await RunFeedActionAsync(feed);

        Assert.NotNull(withoutKey["error"]);
        Assert.Null(withKey["error"]);
        using var client = secured.Client(SecuredGateway.WriterKey);
        using var created = await client.GetAsync($"subscriptions/openwhisk:{ns}:secured");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
    }

    /// <summary>Runs compose/openwhisk/feed.js's main() under Node.js, as OpenWhisk would, with __OW_API_HOST set.</summary>
    private async Task<JsonNode> RunFeedActionAsync(JsonObject parameters)
    {
        var action = Path.Combine(Testing.SpecFiles.RepositoryRoot, "compose", "openwhisk", "feed.js");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add($"require({JsonValue.Create(action)!.ToJsonString()}).main({parameters.ToJsonString()}).then(r => console.log(JSON.stringify(r)))");
        start.Environment["__OW_API_HOST"] = env.OpenWhisk.ApiHost.ToString().TrimEnd('/');
        using var node = Process.Start(start)!;
        var output = await node.StandardOutput.ReadToEndAsync();
        var error = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        Assert.True(node.ExitCode == 0, error);
        return JsonNode.Parse(output)!;
    }
}
