using System.Text.Json.Nodes;
using Gateway.SpecConformance.Infrastructure;

namespace Gateway.SpecConformance;

/// <summary>The embedded store keeps subscriptions across restarts.</summary>
public sealed class PersistenceTests(ConformanceEnvironment env)
{
    [Fact]
    public async Task Subscription_SurvivesARestart_AndStillDelivers()
    {
        var type = GatewayApi.NewType();
        var path = env.Sink.NewPath();
        string id;
        string dataDirectory;
        await using (var first = await GatewayProcess.StartAsync())
        {
            using var client = new HttpClient { BaseAddress = first.BaseAddress };
            var created = await client.CreateSubscriptionAsync(
                $$$"""
                {"sink":"{{{env.Sink.Url(path)}}}","protocol":"HTTP","types":["{{{type}}}"],
                 "sinkcredential":{"credentialtype":"ACCESSTOKEN","accesstoken":"persisted","accesstokenexpiresutc":"2099-01-01T00:00:00Z"}}
                """);
            id = created["id"]!.GetValue<string>();
            dataDirectory = first.DataDirectory;
        }

        await using var second = await GatewayProcess.StartAsync(dataDirectory);
        using var again = new HttpClient { BaseAddress = second.BaseAddress };
        var retrieved = JsonNode.Parse(await again.GetStringAsync($"subscriptions/{id}"))!;
        await again.WaitForStateAsync(id, "active");
        await again.PostBinaryEventAsync("after-restart", type);
        var delivered = await env.Sink.NextAsync(path);

        Assert.Equal(type, retrieved["types"]![0]!.GetValue<string>());
        Assert.Equal("after-restart", delivered.Header("ce-id"));
        Assert.Equal("Bearer persisted", delivered.Header("Authorization"));
    }
}
