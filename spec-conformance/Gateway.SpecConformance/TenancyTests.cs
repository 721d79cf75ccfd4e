using System.Net;
using System.Text.Json.Nodes;
using Gateway.SpecConformance.Infrastructure;

namespace Gateway.SpecConformance;

/// <summary>
/// Each subscription and its dead letters belong to the tenant that created it: another tenant
/// gets a 404 for it and never sees it listed; admin sees every tenant's.
/// </summary>
public sealed class TenancyTests(ConformanceEnvironment env, SecuredGateway gateway) : IClassFixture<SecuredGateway>
{
    private async Task<string> CreateAsync(HttpClient client)
    {
        using var response = await client.PostAsync(
            "subscriptions", GatewayApi.Json($$"""{"protocol":"HTTP","sink":"{{env.Sink.Url(env.Sink.NewPath())}}"}"""));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    private static async Task<string[]> ListedIdsAsync(HttpClient client) =>
        [.. JsonNode.Parse(await client.GetStringAsync("subscriptions"))!.AsArray().Select(s => s!["id"]!.GetValue<string>())];

    [Fact]
    public async Task AnotherTenant_GetsA404_ForEveryOperation_AndNeverSeesItListed()
    {
        using var owner = gateway.Client(SecuredGateway.WriterKey);
        using var other = gateway.Client(SecuredGateway.OtherWriterKey);
        var id = await CreateAsync(owner);

        using var get = await other.GetAsync($"subscriptions/{id}");
        using var put = await other.PutAsync($"subscriptions/{id}", GatewayApi.Json($$"""{"protocol":"HTTP","sink":"{{env.Sink.Url(env.Sink.NewPath())}}"}"""));
        using var letters = await other.GetAsync($"subscriptions/{id}/deadletters");
        using var redrive = await other.PostAsync($"subscriptions/{id}/deadletters/redrive", null);
        using var delete = await other.DeleteAsync($"subscriptions/{id}");

        Assert.All([get, put, letters, redrive, delete], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.DoesNotContain(id, await ListedIdsAsync(other));
        Assert.Contains(id, await ListedIdsAsync(owner));
        using var stillThere = await owner.GetAsync($"subscriptions/{id}");
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
    }

    [Fact]
    public async Task Admin_SeesEveryTenant_AndAReplaceKeepsTheOwner()
    {
        using var owner = gateway.Client(SecuredGateway.WriterKey);
        using var admin = gateway.Client(SecuredGateway.AdminKey);
        var id = await CreateAsync(owner);

        Assert.Contains(id, await ListedIdsAsync(admin));
        using var replace = await admin.PutAsync($"subscriptions/{id}", GatewayApi.Json($$"""{"protocol":"HTTP","sink":"{{env.Sink.Url(env.Sink.NewPath())}}"}"""));

        Assert.Equal(HttpStatusCode.OK, replace.StatusCode);
        Assert.Contains(id, await ListedIdsAsync(owner));
    }

    [Fact]
    public async Task TokenSubjects_AreTenants()
    {
        using var alice = gateway.Client(gateway.Token("alice", "subscriptions:read subscriptions:write"));
        using var bob = gateway.Client(gateway.Token("bob", "subscriptions:read subscriptions:write"));
        var id = await CreateAsync(alice);

        using var fromBob = await bob.GetAsync($"subscriptions/{id}");

        Assert.Equal(HttpStatusCode.NotFound, fromBob.StatusCode);
        Assert.DoesNotContain(id, await ListedIdsAsync(bob));
        Assert.Contains(id, await ListedIdsAsync(alice));
    }
}
