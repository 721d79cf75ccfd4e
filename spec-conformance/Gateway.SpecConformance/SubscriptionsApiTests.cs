using System.Net;
using System.Text.Json.Nodes;
using Gateway.SpecConformance.Infrastructure;

namespace Gateway.SpecConformance;

/// <summary>The Subscriptions API operations (spec/cloudevents.md §6.5).</summary>
public sealed class SubscriptionsApiTests(ConformanceEnvironment env)
{
    private HttpClient Client => env.Client;

    private string SinkUrl => env.Sink.Url(env.Sink.NewPath());

    [Fact]
    public async Task SUB_04_Create_IgnoresClientId_Answers201WithLocationAndRealizedObject()
    {
        using var response = await Client.PostAsync("subscriptions", GatewayApi.Json(
            $$$"""{"id":"client-chosen","sink":"{{{SinkUrl}}}","protocol":"HTTP","types":["a.b"]}"""));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var id = created["id"]!.GetValue<string>();
        Assert.NotEqual("client-chosen", id);
        Assert.Equal(new Uri(env.GatewayAddress, $"subscriptions/{id}"), response.Headers.Location);
        Assert.Equal("HTTP", created["protocol"]!.GetValue<string>());
        Assert.Equal("a.b", created["types"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task SUB_20_Create_ReturnsDefaultsOfHttpSettings()
    {
        var created = await Client.CreateSubscriptionAsync($$$"""{"sink":"{{{SinkUrl}}}","protocol":"HTTP"}""");

        Assert.Equal("POST", created["protocolsettings"]!["method"]!.GetValue<string>());
        Assert.Equal("binary", created["protocolsettings"]!["contentmode"]!.GetValue<string>());
        Assert.NotNull(created["status"]!["state"]);
    }

    [Fact]
    public async Task SUB_25_Retrieve_ReturnsTheSubscription_And404ForUnknown()
    {
        var created = await Client.CreateSubscriptionAsync($$$"""{"sink":"{{{SinkUrl}}}","protocol":"HTTP","source":"/x"}""");
        var id = created["id"]!.GetValue<string>();

        var retrieved = JsonNode.Parse(await Client.GetStringAsync($"subscriptions/{id}"))!;
        using var missing = await Client.GetAsync("subscriptions/does-not-exist");

        Assert.Equal("/x", retrieved["source"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task SUB_23_Query_ListsCreatedSubscriptionsAsAnArray()
    {
        var created = await Client.CreateSubscriptionAsync($$$"""{"sink":"{{{SinkUrl}}}","protocol":"HTTP"}""");

        var all = JsonNode.Parse(await Client.GetStringAsync("subscriptions"))!.AsArray();

        Assert.Contains(all, s => s!["id"]!.GetValue<string>() == created["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task SUB_23_Query_OnAFreshGateway_Answers200WithEmptyArray()
    {
        await using var gateway = await GatewayProcess.StartAsync();
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };

        using var response = await client.GetAsync("subscriptions");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[]", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SUB_24_Update_ReplacesTheWholeSubscription()
    {
        var created = await Client.CreateSubscriptionAsync($$$"""{"sink":"{{{SinkUrl}}}","protocol":"HTTP","source":"/old","types":["t"]}""");
        var id = created["id"]!.GetValue<string>();

        using var response = await Client.PutAsync($"subscriptions/{id}", GatewayApi.Json(
            $$$"""{"id":"{{{id}}}","sink":"{{{SinkUrl}}}","protocol":"HTTP","source":"/new","status":{"state":"ignored"}}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = JsonNode.Parse(await Client.GetStringAsync($"subscriptions/{id}"))!;
        Assert.Equal("/new", updated["source"]!.GetValue<string>());
        Assert.Null(updated["types"]);
        Assert.NotEqual("ignored", updated["status"]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task SUB_24_Update_BodyIdDiffersFromPath_Answers400()
    {
        var created = await Client.CreateSubscriptionAsync($$$"""{"sink":"{{{SinkUrl}}}","protocol":"HTTP"}""");

        using var response = await Client.PutAsync($"subscriptions/{created["id"]}", GatewayApi.Json(
            $$$"""{"id":"other","sink":"{{{SinkUrl}}}","protocol":"HTTP"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"field\":\"id\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SUB_24_Update_UnknownId_Answers404()
    {
        using var response = await Client.PutAsync("subscriptions/unknown-id", GatewayApi.Json(
            $$$"""{"sink":"{{{SinkUrl}}}","protocol":"HTTP"}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Delete_Answers200WithTheSubscription_ThenRetrieveAnswers404()
    {
        var created = await Client.CreateSubscriptionAsync($$$"""{"sink":"{{{SinkUrl}}}","protocol":"HTTP"}""");
        var id = created["id"]!.GetValue<string>();

        using var deleted = await Client.DeleteAsync($"subscriptions/{id}");
        using var again = await Client.DeleteAsync($"subscriptions/{id}");
        using var retrieve = await Client.GetAsync($"subscriptions/{id}");

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(id, JsonNode.Parse(await deleted.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, retrieve.StatusCode);
    }

    [Theory]
    [InlineData("subscriptions", "GET, POST, OPTIONS")]
    [InlineData("subscriptions/any-id", "GET, PUT, DELETE, OPTIONS")]
    public async Task SUB_21_Options_ListsTheOperationsInAllow(string path, string allow)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Options, path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
    }

    [Fact]
    public async Task SUB_15_SinkCredential_IsNeverReturned()
    {
        var created = await Client.CreateSubscriptionAsync($$$"""
            {"sink":"{{{SinkUrl}}}","protocol":"HTTP",
             "sinkcredential":{"credentialtype":"PLAIN","identifier":"user","secret":"s3cret"}}
            """);

        var listed = await Client.GetStringAsync("subscriptions");
        var retrieved = await Client.GetStringAsync($"subscriptions/{created["id"]}");

        Assert.Null(created["sinkcredential"]);
        Assert.DoesNotContain("s3cret", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", retrieved, StringComparison.Ordinal);
    }
}
