using System.Net;
using System.Text.Json.Nodes;
using Gateway.SpecConformance.Infrastructure;

namespace Gateway.SpecConformance;

/// <summary>The legacy Discovery v0.1 Service API (spec/cloudevents.md §9.1).</summary>
public sealed class DiscoveryTests(ConformanceEnvironment env)
{
    private HttpClient Client => env.Client;

    private static string Service(string name, string? id = null, string extra = "") => $$$"""
        {{{(id is null ? "" : $"\"id\":\"{id}\",")}}}"name":"{{{name}}}","specversions":["1.0"],"protocols":["HTTP"],
         "subscriptionurl":"https://producer.example/subscriptions"{{{extra}}}}
        """.Insert(0, "{");

    private async Task<JsonArray> ServicesAsync(string query = "") =>
        JsonNode.Parse(await Client.GetStringAsync("services" + query))!.AsArray();

    private async Task<JsonObject> SelfAsync() => (await ServicesAsync())[0]!.AsObject();

    [Fact]
    public async Task Features_NameTheFilterAttributes()
    {
        var features = JsonNode.Parse(await Client.GetStringAsync("features"))!;

        Assert.Contains("name", features["servicefilterattributes"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.False(features["pagination"]!.GetValue<bool>());
    }

    [Fact]
    public async Task TheGatewayListsItself()
    {
        var self = await SelfAsync();
        var id = self["id"]!.GetValue<string>();

        using var byId = await Client.GetAsync($"services/{id}");

        Assert.Equal(HttpStatusCode.OK, byId.StatusCode);
        Assert.EndsWith($"/services/{id}", self["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(new Uri(env.GatewayAddress, "subscriptions").ToString(), self["subscriptionurl"]!.GetValue<string>());
        Assert.Equal(["1.0"], self["specversions"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Contains("HTTP", self["protocols"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["all", "any", "cesql", "exact", "not", "prefix", "sql", "suffix"],
            self["subscriptiondialects"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"interval":"Integer","cron":"String","timezone":"String","data":"Any","startdate":"Timestamp","stopdate":"Timestamp"}"""),
            self["subscriptionconfig"]));
        Assert.True(self["epoch"]!.GetValue<long>() >= 1);
    }

    [Fact]
    public async Task UnknownService_Is404()
    {
        using var response = await Client.GetAsync("services/no-such-service");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task EventTypesSeenAtIngress_AreLearned_AndTheEpochGrows()
    {
        var epoch = (await SelfAsync())["epoch"]!.GetValue<long>();
        var type = GatewayApi.NewType();

        await Client.PostBinaryEventAsync("learn-1", type, headers: new Dictionary<string, string> { ["ce-dataschema"] = "https://schemas.example/order" });
        JsonObject? learned = null;
        JsonObject self = null!;
        for (var i = 0; i < 100 && learned is null; i++)
        {
            await Task.Delay(50);
            self = await SelfAsync();
            learned = self["events"]!.AsArray().OfType<JsonObject>().FirstOrDefault(e => e["type"]!.GetValue<string>() == type);
        }

        Assert.NotNull(learned);
        Assert.Equal("application/json", learned["datacontenttype"]!.GetValue<string>());
        Assert.Equal("https://schemas.example/order", learned["dataschema"]!.GetValue<string>());
        Assert.True(self["epoch"]!.GetValue<long>() > epoch);
    }

    [Fact]
    public async Task Filter_MatchesNamesAsCaseInsensitiveSubstrings_AndNestedAttributes()
    {
        var name = "Filter-" + Guid.NewGuid().ToString("N");
        var type = GatewayApi.NewType();
        using var created = await Client.PostAsync("services", GatewayApi.Json(
            "[" + Service(name, extra: $$$""","events":[{"type":"{{{type}}}"}]""") + "]"));

        var byName = await ServicesAsync($"?filter=name={name.ToUpperInvariant()[3..20]}");
        var byEventType = await ServicesAsync($"?filter=events.type={type}");
        var both = await ServicesAsync($"?filter=name={name}&filter=events.type=nothing-like-this");
        var withoutDocs = await ServicesAsync($"?filter=docsurl=&filter=name={name}");
        var withDocs = await ServicesAsync($"?filter=docsurl&filter=name={name}");

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(name, Assert.Single(byName)!["name"]!.GetValue<string>());
        Assert.Contains(byEventType, s => s!["name"]!.GetValue<string>() == name);
        Assert.Empty(both);
        Assert.Single(withoutDocs);
        Assert.Empty(withDocs);
    }

    [Fact]
    public async Task Filter_UnsupportedAttribute_Is400()
    {
        using var response = await Client.GetAsync("services?filter=colour=red");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Register_AssignsIdEpochAndUrl_AndItsEventsJoinTheGatewaysOwnEntry()
    {
        var type = GatewayApi.NewType();
        using var response = await Client.PostAsync("services", GatewayApi.Json(
            "[" + Service("Register-" + Guid.NewGuid().ToString("N"), extra: $$$""","url":"https://ignored","events":[{"type":"{{{type}}}"}]""") + "]"));
        var stored = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().Single()!;
        var id = stored["id"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, stored["epoch"]!.GetValue<long>());
        Assert.Equal(new Uri(env.GatewayAddress, $"services/{id}").ToString(), stored["url"]!.GetValue<string>());
        Assert.Contains((await SelfAsync())["events"]!.AsArray(), e => e!["type"]!.GetValue<string>() == type);
    }

    [Fact]
    public async Task Register_IsAtomic_OneInvalidServiceStoresNone()
    {
        var good = "Atomic-" + Guid.NewGuid().ToString("N");

        using var response = await Client.PostAsync("services", GatewayApi.Json(
            "[" + Service(good) + ",{\"name\":\"incomplete\"}]"));
        var problem = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("[1].specversions", problem, StringComparison.Ordinal);
        Assert.Empty(await ServicesAsync($"?filter=name={good}"));
    }

    [Fact]
    public async Task Names_AreUniqueIgnoringCase()
    {
        var name = "Unique-" + Guid.NewGuid().ToString("N");
        using var first = await Client.PostAsync("services", GatewayApi.Json("[" + Service(name) + "]"));

        using var second = await Client.PostAsync("services", GatewayApi.Json("[" + Service(name.ToUpperInvariant()) + "]"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
    }

    [Fact]
    public async Task Epoch_MustGrow_OnEveryUpdate()
    {
        var id = "epoch-" + Guid.NewGuid().ToString("N");
        var name = "Epoch-" + id;
        using var created = await Client.PutAsync($"services/{id}", GatewayApi.Json(Service(name, extra: ",\"epoch\":5")));
        using var stale = await Client.PutAsync($"services/{id}", GatewayApi.Json(Service(name, extra: ",\"epoch\":5")));
        using var newer = await Client.PutAsync($"services/{id}", GatewayApi.Json(Service(name, extra: ",\"epoch\":7")));
        using var implicitEpoch = await Client.PutAsync($"services/{id}", GatewayApi.Json(Service(name, id)));
        using var mismatch = await Client.PutAsync($"services/{id}", GatewayApi.Json(Service(name, "other-id")));

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newer.StatusCode);
        Assert.Equal(8, JsonNode.Parse(await implicitEpoch.Content.ReadAsStringAsync())!["epoch"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
    }

    [Fact]
    public async Task Delete_IsIdempotent_HonoursTheEpoch_AndTheGatewaysOwnEntryStays()
    {
        var id = "delete-" + Guid.NewGuid().ToString("N");
        await Client.PutAsync($"services/{id}", GatewayApi.Json(Service("Delete-" + id, extra: ",\"epoch\":3")));
        var selfId = (await SelfAsync())["id"]!.GetValue<string>();

        using var stale = await Client.DeleteAsync($"services/{id}?epoch=3");
        using var deleted = await Client.DeleteAsync($"services/{id}?epoch=4");
        using var again = await Client.DeleteAsync($"services/{id}");
        using var self = await Client.DeleteAsync($"services/{selfId}");
        using var gone = await Client.GetAsync($"services/{id}");

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(id, JsonNode.Parse(await deleted.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task IdentityServicesAndLearnedTypes_SurviveARestart_AndLearningIsCapped()
    {
        var settings = new Dictionary<string, string> { ["Gateway:Discovery:MaxEventTypes"] = "3" };
        string selfId;
        string dataDirectory;
        var registered = "Restart-" + Guid.NewGuid().ToString("N");
        await using (var first = await GatewayProcess.StartAsync(settings: settings))
        {
            using var client = new HttpClient { BaseAddress = first.BaseAddress };
            dataDirectory = first.DataDirectory;
            selfId = JsonNode.Parse(await client.GetStringAsync("services"))![0]!["id"]!.GetValue<string>();
            await client.PostAsync("services", GatewayApi.Json("[" + Service(registered) + "]"));
            for (var i = 0; i < 5; i++)
            {
                await client.PostBinaryEventAsync($"cap-{i}", $"io.example.cap{i}");
                await Task.Delay(20);
            }

            // A graceful stop saves what was learned (it is saved every two seconds otherwise; a crash may lose
            // the last two seconds of learning, never an event).
            await first.StopAsync();
        }

        await using var second = await GatewayProcess.StartAsync(dataDirectory, settings);
        using var again = new HttpClient { BaseAddress = second.BaseAddress };
        var services = JsonNode.Parse(await again.GetStringAsync("services"))!.AsArray();
        var types = services[0]!["events"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()).Order(StringComparer.Ordinal);

        Assert.Equal(selfId, services[0]!["id"]!.GetValue<string>());
        Assert.Contains(services, s => s!["name"]!.GetValue<string>() == registered);
        Assert.Equal(["io.example.cap2", "io.example.cap3", "io.example.cap4"], types);
    }
}
