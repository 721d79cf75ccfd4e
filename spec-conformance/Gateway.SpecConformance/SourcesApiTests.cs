using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.SpecConformance.Infrastructure;

namespace Gateway.SpecConformance;

/// <summary>
/// The event sources management API (an extension of the product, modelled on the Subscriptions API),
/// and the HTTP polling source end to end: a watched URL's changes reach a subscription's sink.
/// </summary>
public sealed class SourcesApiTests(ConformanceEnvironment env)
{
    [Fact]
    public async Task Create_WithBadMembers_Is400NamingEveryField()
    {
        using var response = await env.Client.PostAsync("sources", GatewayApi.Json("""
            {"protocol":"HTTPX","address":"x","protocolsettings":[],"defaults":{"type":""},"colour":"red"}
            """));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var fields = JsonNode.Parse(text)!["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>()).ToList();
        Assert.Equal(["colour", "defaults.source", "defaults.type", "protocol", "protocolsettings"], fields.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Create_PollingSourceWithBadSettings_NamesTheSetting()
    {
        using var response = await env.Client.PostAsync("sources", GatewayApi.Json("""
            {"protocol":"HTTP","address":"ftp://example.com/x","protocolsettings":{"interval":"5 minutes","depth":2},
             "defaults":{"type":"t","source":"/s"}}
            """));
        var fields = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsArray()
            .Select(e => e!["field"]!.GetValue<string>()).ToList();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["address", "protocolsettings.depth", "protocolsettings.interval"], fields.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("sources", """{"protocol":"HTTP","protocol":"HTTP","address":"http://127.0.0.1:9/x","defaults":{"type":"t","source":"/s"}}""")]
    [InlineData("subscriptions", """{"protocol":"HTTP","sink":"http://127.0.0.1:9/x","delivery":{"retry":1,"retry":2}}""")]
    public async Task AMemberNamedTwice_Is400_Not500(string path, string body)
    {
        using var response = await env.Client.PostAsync(path, GatewayApi.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Duplicate", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Defaults_ThatMakeNoValidEvent_Are400NamingTheField()
    {
        // JSON's escape for U+0001 (a regular literal, so the JSON text carries the six characters \u0001).
        using var response = await env.Client.PostAsync("sources", GatewayApi.Json(
            "{\"protocol\":\"HTTP\",\"address\":\"http://127.0.0.1:9/x\",\"defaults\":{\"type\":\"a\\u0001b\",\"source\":\"/s\"}}"));
        var fields = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsArray()
            .Select(e => e!["field"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["defaults.type"], fields);
    }

    [Fact]
    public async Task UnknownSource_Is404_ForGetAndDelete()
    {
        using var get = await env.Client.GetAsync("sources/no-such-source");
        using var delete = await env.Client.DeleteAsync("sources/no-such-source");

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
    }

    [Fact]
    public async Task PollingSource_EmitsTheResource_ThenEachChange_AndNothingWhileUnchanged()
    {
        await using var resource = await PolledResource.StartAsync("""{"level":1}""");
        var type = GatewayApi.NewType();
        var path = env.Sink.NewPath();
        var subscription = await env.Client.CreateSubscriptionAsync(
            $$$"""{"sink":"{{{env.Sink.Url(path)}}}","protocol":"HTTP","types":["{{{type}}}"]}""");
        await env.Client.WaitForStateAsync(subscription["id"]!.GetValue<string>(), "active");

        var created = await CreateSourceAsync($$$"""
            {"protocol":"HTTP","address":"{{{resource.Url}}}","protocolsettings":{"interval":"PT1S"},
             "defaults":{"type":"{{{type}}}","source":"/tests/polled"}}
            """);
        var id = created["id"]!.GetValue<string>();
        Assert.Equal("PT1S", created["protocolsettings"]!["interval"]!.GetValue<string>());

        var first = await env.Sink.NextAsync(path);
        Assert.Equal("""{"level":1}""", first.BodyText);
        Assert.Equal("/tests/polled", first.Header("ce-source"));

        // Unchanged: the polls are answered 304 and nothing is emitted.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (resource.NotModifiedAnswers < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(resource.NotModifiedAnswers >= 2, $"{resource.NotModifiedAnswers} conditional answers");
        resource.Set("""{"level":2}""");
        var second = await env.Sink.NextAsync(path);
        Assert.Equal("""{"level":2}""", second.BodyText);
        Assert.NotEqual(first.Header("ce-id"), second.Header("ce-id"));

        // The source counts an event just after its append returns, so a fast delivery can reach the sink first.
        var status = await env.Client.SourceStatusWhenAsync(id, s => s["events"]?.GetValue<long>() >= 2, TimeSpan.FromSeconds(10));
        Assert.Equal("connected", status["state"]!.GetValue<string>());
        Assert.True(status["events"]!.GetValue<long>() >= 2, status.ToJsonString());
        Assert.NotNull(status["lastpoll"]);

        using var deleted = await env.Client.DeleteAsync($"sources/{id}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        using var gone = await env.Client.GetAsync($"sources/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task PollingSource_TakesAStructuredCloudEventAsItIs()
    {
        await using var resource = await PolledResource.StartAsync(
            """{"specversion":"1.0","id":"polled-ce-1","source":"/origin","type":"com.example.polled.ce","data":{"x":1}}""",
            "application/cloudevents+json");
        var path = env.Sink.NewPath();
        var subscription = await env.Client.CreateSubscriptionAsync(
            $$$"""{"sink":"{{{env.Sink.Url(path)}}}","protocol":"HTTP","source":"/origin","types":["com.example.polled.ce"]}""");
        await env.Client.WaitForStateAsync(subscription["id"]!.GetValue<string>(), "active");

        var created = await CreateSourceAsync($$$"""
            {"protocol":"HTTP","address":"{{{resource.Url}}}","protocolsettings":{"interval":"PT1S"},
             "defaults":{"type":"unused","source":"/unused"}}
            """);

        var received = await env.Sink.NextAsync(path);
        Assert.Equal("polled-ce-1", received.Header("ce-id"));
        Assert.Equal("/origin", received.Header("ce-source"));
        using var deleted = await env.Client.DeleteAsync($"sources/{created["id"]}");
    }

    [Fact]
    public async Task DeclaredInConfiguration_IsListedAndRuns_ButCannotBeDeletedThroughTheApi()
    {
        await using var resource = await PolledResource.StartAsync("""{"declared":true}""");
        var settings = new Dictionary<string, string>
        {
            ["Gateway:Sources:watched:protocol"] = "HTTP",
            ["Gateway:Sources:watched:address"] = resource.Url.ToString(),
            ["Gateway:Sources:watched:protocolsettings:interval"] = "PT1S",
            ["Gateway:Sources:watched:defaults:type"] = "com.example.declared",
            ["Gateway:Sources:watched:defaults:source"] = "/declared",
        };
        await using var gateway = await GatewayProcess.StartAsync(settings: settings);
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };

        var source = await client.GetFromJsonAsync<JsonObject>("sources/watched");
        Assert.Equal("configuration", source!["status"]!["declared"]!.GetValue<string>());
        using var delete = await client.DeleteAsync("sources/watched");
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (resource.FullAnswers == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(resource.FullAnswers > 0, "the declared source never polled");
    }

    [Fact]
    public async Task DeclaredInConfiguration_Invalid_StopsTheStartNamingTheField()
    {
        var settings = new Dictionary<string, string>
        {
            ["Gateway:Sources:broken:protocol"] = "HTTP",
            ["Gateway:Sources:broken:address"] = "http://127.0.0.1:9/x",
            ["Gateway:Sources:broken:defaults:type"] = "com.example.broken",
        };

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => GatewayProcess.StartAsync(settings: settings));

        Assert.Contains("Gateway:Sources:broken", failure.Message, StringComparison.Ordinal);
        Assert.Contains("defaults.source", failure.Message, StringComparison.Ordinal);
    }

    private async Task<JsonObject> CreateSourceAsync(string body)
    {
        using var response = await env.Client.PostAsync("sources", GatewayApi.Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        var created = JsonNode.Parse(text)!.AsObject();
        Assert.EndsWith($"/sources/{created["id"]}", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        return created;
    }
}
