using Gateway.SpecConformance.Infrastructure;

namespace Gateway.SpecConformance;

/// <summary>Filters decide delivery end to end (SUB-26 to SUB-28, FLT-01 to FLT-14).</summary>
public sealed class FilterDeliveryTests(ConformanceEnvironment env)
{
    [Fact]
    public async Task SUB_28_OnlyEventsPassingEveryFilterAreDelivered()
    {
        var type = GatewayApi.NewType();
        var path = env.Sink.NewPath();
        var created = await env.Client.CreateSubscriptionAsync($$$"""
            {"sink":"{{{env.Sink.Url(path)}}}","protocol":"HTTP","source":"/orders",
             "filters":[{"prefix":{"type":"{{{type}}}"}},{"not":{"exact":{"subject":"skip"} } },
                        {"any":[{"suffix":{"subject":".md"}},{"exact":{"priority":"high"}}]}]}
            """);
        await env.Client.WaitForStateAsync(created["id"]!.GetValue<string>(), "active");

        await env.Client.PostBinaryEventAsync("wrong-source", type, "/other", headers: Subject("a.md"));
        await env.Client.PostBinaryEventAsync("negated", type, "/orders", headers: Subject("skip"));
        await env.Client.PostBinaryEventAsync("no-any", type, "/orders", headers: Subject("a.txt"));
        await env.Client.PostBinaryEventAsync("suffix", type + ".created", "/orders", headers: Subject("readme.md"));
        await env.Client.PostBinaryEventAsync("priority", type, "/orders",
            headers: new Dictionary<string, string> { ["ce-subject"] = "x", ["ce-priority"] = "high" });

        Assert.Equal("suffix", (await env.Sink.NextAsync(path)).Header("ce-id"));
        Assert.Equal("priority", (await env.Sink.NextAsync(path)).Header("ce-id"));
    }

    [Fact]
    public async Task FLT_08_MissingAttribute_FailsExact_ButPassesNot()
    {
        var type = GatewayApi.NewType();
        var exactPath = env.Sink.NewPath();
        var notPath = env.Sink.NewPath();
        var exact = await env.Client.CreateSubscriptionAsync(
            $$$"""{"sink":"{{{env.Sink.Url(exactPath)}}}","protocol":"HTTP","types":["{{{type}}}"],"filters":[{"exact":{"myext":"x"}}]}""");
        var not = await env.Client.CreateSubscriptionAsync(
            $$$"""{"sink":"{{{env.Sink.Url(notPath)}}}","protocol":"HTTP","types":["{{{type}}}"],"filters":[{"not":{"exact":{"myext":"x"} } }]}""");
        await env.Client.WaitForStateAsync(exact["id"]!.GetValue<string>(), "active");
        await env.Client.WaitForStateAsync(not["id"]!.GetValue<string>(), "active");

        await env.Client.PostBinaryEventAsync("without-ext", type);
        await env.Client.PostBinaryEventAsync("with-ext", type, headers: new Dictionary<string, string> { ["ce-myext"] = "x" });

        Assert.Equal("with-ext", (await env.Sink.NextAsync(exactPath)).Header("ce-id"));
        Assert.Equal("without-ext", (await env.Sink.NextAsync(notPath)).Header("ce-id"));
    }

    private static Dictionary<string, string> Subject(string subject) => new() { ["ce-subject"] = subject };
}
