using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.SpecConformance.Infrastructure;

namespace Gateway.SpecConformance;

/// <summary>The OPENWHISK sink: firing triggers as spec/openwhisk.md documents, against a fake controller.</summary>
public sealed class OpenWhiskSinkTests(ConformanceEnvironment env)
{
    private HttpClient Client => env.Client;

    private async Task<(FakeTrigger Trigger, string Type, string Id, string Uuid, string Key)> SubscribeAsync(
        bool hasActiveRule = true, string payload = "event", string delivery = "")
    {
        var (uuid, key, ns) = env.OpenWhisk.NewNamespace();
        var trigger = env.OpenWhisk.AddTrigger(ns, "t1", hasActiveRule);
        var type = GatewayApi.NewType();
        var created = await Client.CreateSubscriptionAsync($$$"""
            {"protocol":"OPENWHISK","sink":"{{{env.OpenWhisk.TriggerUrl(ns, "t1")}}}","types":["{{{type}}}"],
             "sinkcredential":{"credentialtype":"PLAIN","identifier":"{{{uuid}}}","secret":"{{{key}}}"},
             "protocolsettings":{"payload":"{{{payload}}}"}{{{delivery}}}}
            """);
        var id = created["id"]!.GetValue<string>();
        await Client.WaitForStateAsync(id, "active");
        return (trigger, type, id, uuid, key);
    }

    [Fact]
    public async Task Fire_SendsTheEventAsParameters_WithPreemptiveBasic_AndNoHandshake()
    {
        var (trigger, type, _, uuid, key) = await SubscribeAsync();

        await Client.PostBinaryEventAsync("ow-1", type, headers: new Dictionary<string, string> { ["ce-myext"] = "v" });
        var fire = await trigger.NextFireAsync();

        Assert.Equal(202, fire.AnsweredStatus);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{uuid}:{key}")), fire.Authorization);
        Assert.Equal("ow-1", fire.Parameters["id"]!.GetValue<string>());
        Assert.Equal(type, fire.Parameters["type"]!.GetValue<string>());
        Assert.Equal("v", fire.Parameters["myext"]!.GetValue<string>());
        Assert.Equal(1, fire.Parameters["data"]!["n"]!.GetValue<int>());
    }

    [Fact]
    public async Task PayloadData_SendsOnlyTheDataObject()
    {
        var (trigger, type, _, _, _) = await SubscribeAsync(payload: "data");

        await Client.PostBinaryEventAsync("ow-data", type, data: """{"order":7}""");
        var fire = await trigger.NextFireAsync();

        Assert.Equal("""{"order":7}""", fire.Parameters.ToJsonString());
    }

    [Fact]
    public async Task NoActiveRule_204_IsDelivered_NotRetried()
    {
        var (trigger, type, id, _, _) = await SubscribeAsync(hasActiveRule: false);

        await Client.PostBinaryEventAsync("ow-204", type);
        var fire = await trigger.NextFireAsync();
        var quiet = await trigger.StaysQuietAsync(TimeSpan.FromSeconds(2));
        var status = JsonNode.Parse(await Client.GetStringAsync($"subscriptions/{id}"))!["status"]!;

        Assert.Equal(204, fire.AnsweredStatus);
        Assert.True(quiet);
        Assert.NotNull(status["lastsuccess"]);
        Assert.Null(status["lastfailure"]);
    }

    [Fact]
    public async Task Throttled_429_WaitsForRetryAfter_ThenFires()
    {
        var (trigger, type, _, _, _) = await SubscribeAsync();
        trigger.FailNext(429, retryAfterSeconds: 1);

        await Client.PostBinaryEventAsync("ow-429", type);
        var throttled = await trigger.NextFireAsync();
        var fired = await trigger.NextFireAsync();

        Assert.Equal(429, throttled.AnsweredStatus);
        Assert.Equal(202, fired.AnsweredStatus);
        Assert.True(fired.At - throttled.At >= TimeSpan.FromSeconds(0.9), $"fired again after {fired.At - throttled.At}");
    }

    [Fact]
    public async Task ServerError_IsRetried()
    {
        var (trigger, type, _, _, _) = await SubscribeAsync(delivery: ""","delivery":{"backoffdelay":"PT0.1S"}""");
        trigger.FailNext(503);

        await Client.PostBinaryEventAsync("ow-503", type);

        Assert.Equal(503, (await trigger.NextFireAsync()).AnsweredStatus);
        Assert.Equal(202, (await trigger.NextFireAsync()).AnsweredStatus);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(401)]
    [InlineData(403)]
    public async Task TriggerGoneOrKeyRevoked_DisablesTheSubscription_WithCodeAndMessage(int status)
    {
        var (trigger, type, id, _, _) = await SubscribeAsync();
        trigger.FailNext(status);

        await Client.PostBinaryEventAsync($"ow-{status}", type);
        var disabled = await Client.WaitForStateAsync(id, "disabled");

        var reason = disabled["status"]!["reason"]!.GetValue<string>();
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), reason, StringComparison.Ordinal);
        Assert.Contains("scripted failure", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletedTrigger_DisablesTheSubscription()
    {
        var (uuid, key, ns) = env.OpenWhisk.NewNamespace();
        env.OpenWhisk.AddTrigger(ns, "gone");
        var type = GatewayApi.NewType();
        var created = await Client.CreateSubscriptionAsync($$$"""
            {"protocol":"OPENWHISK","sink":"{{{env.OpenWhisk.TriggerUrl("_", "gone")}}}","types":["{{{type}}}"],
             "sinkcredential":{"credentialtype":"PLAIN","identifier":"{{{uuid}}}","secret":"{{{key}}}"}}
            """);
        env.OpenWhisk.DeleteTrigger(ns, "gone");

        await Client.PostBinaryEventAsync("ow-gone", type);
        var disabled = await Client.WaitForStateAsync(created["id"]!.GetValue<string>(), "disabled");

        Assert.Contains("The requested resource does not exist.", disabled["status"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"protocol":"OPENWHISK","sink":"http://127.0.0.1:1/api/v1/namespaces/_/triggers/t"}""", "sinkcredential")]
    [InlineData("""{"protocol":"OPENWHISK","sink":"http://127.0.0.1:1/not/a/trigger","sinkcredential":{"credentialtype":"PLAIN","identifier":"u","secret":"k"}}""", "sink")]
    [InlineData("""{"protocol":"OPENWHISK","sink":"http://127.0.0.1:1/api/v1/namespaces/_/triggers/t","sinkcredential":{"credentialtype":"PLAIN","identifier":"u","secret":"k"},"protocolsettings":{"payload":"all"}}""", "protocolsettings.payload")]
    public async Task InvalidOpenWhiskSubscription_IsRejected(string body, string field)
    {
        using var response = await Client.PostAsync("subscriptions", GatewayApi.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"field\":\"{field}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
