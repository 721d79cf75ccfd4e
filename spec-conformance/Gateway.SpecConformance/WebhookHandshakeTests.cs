using Gateway.SpecConformance.Infrastructure;

namespace Gateway.SpecConformance;

/// <summary>The gateway as a webhook sender: the OPTIONS handshake before the first delivery (WH-11 to WH-14).</summary>
public sealed class WebhookHandshakeTests(ConformanceEnvironment env)
{
    [Fact]
    public async Task WH_11_HandshakeGoesToTheExactSinkUri_WithOurOrigin()
    {
        var path = env.Sink.NewPath();

        await env.Client.CreateSubscriptionAsync($$$"""{"sink":"{{{env.Sink.Url(path)}}}?q=1","protocol":"HTTP"}""");
        var handshake = await env.Sink.NextAsync(path, "OPTIONS");

        Assert.Equal("conformance.gateway.test", handshake.Header("WebHook-Request-Origin"));
    }

    [Fact]
    public async Task WH_13_RefusedSink_GetsNothing_UntilItGrants_ThenReceivesTheQueuedEvent()
    {
        var type = GatewayApi.NewType();
        var path = env.Sink.NewPath(new SinkBehavior(GrantHandshake: false));
        var created = await env.Client.CreateSubscriptionAsync(
            $$$"""{"sink":"{{{env.Sink.Url(path)}}}","protocol":"HTTP","types":["{{{type}}}"]}""");
        var id = created["id"]!.GetValue<string>();

        var failed = await env.Client.WaitForStateAsync(id, "validation-failed");
        await env.Client.PostBinaryEventAsync("waited", type);
        env.Sink.SetBehavior(path, new SinkBehavior(GrantHandshake: true));
        var delivered = await env.Sink.NextAsync(path, timeout: TimeSpan.FromSeconds(30));

        Assert.Contains("WebHook-Allowed-Origin", failed["status"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("waited", delivered.Header("ce-id"));
        await env.Client.WaitForStateAsync(id, "active");
    }

    [Fact]
    public async Task WH_12_ConsentForAnotherOrigin_IsNoConsent()
    {
        var path = env.Sink.NewPath(new SinkBehavior(AllowedOrigin: "someone-else.example"));

        var created = await env.Client.CreateSubscriptionAsync($$$"""{"sink":"{{{env.Sink.Url(path)}}}","protocol":"HTTP"}""");
        var failed = await env.Client.WaitForStateAsync(created["id"]!.GetValue<string>(), "validation-failed");

        Assert.Contains("someone-else.example", failed["status"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
