using System.Net;
using Gateway.SpecConformance.Infrastructure;

namespace Gateway.SpecConformance;

/// <summary>
/// <c>REFRESHTOKEN</c> credentials (§6.4): the gateway trades the refresh token at <c>refreshtokenendpoint</c>
/// (RFC 6749 §6) before the access token expires and when the sink refuses it. The token endpoint is a path of the
/// test's real HTTP server that answers as an OAuth 2.0 authorization server does (RFC 6749 §5.1, §5.2).
/// </summary>
public sealed class TokenRefreshTests(ConformanceEnvironment env)
{
    private const string FastRetries = """ "delivery":{"retry":20,"backoffdelay":"PT0.1S","backoffmax":"PT0.5S"} """;

    private HttpClient Client => env.Client;

    private static SinkResponse Granted(string accessToken, string? refreshToken = null) => new(
        200,
        new Dictionary<string, string> { ["Content-Type"] = "application/json", ["Cache-Control"] = "no-store" },
        $$"""{"access_token":"{{accessToken}}","token_type":"bearer","expires_in":3600{{(refreshToken is null ? "" : $",\"refresh_token\":\"{refreshToken}\"")}}}""");

    private async Task<(string SinkPath, string Type, string Id)> SubscribeAsync(
        string tokenPath, string accessToken, string expiresUtc, SinkBehavior? sink = null)
    {
        var type = GatewayApi.NewType();
        var sinkPath = env.Sink.NewPath(sink);
        var created = await Client.CreateSubscriptionAsync($$$"""
            {"sink":"{{{env.Sink.Url(sinkPath)}}}","protocol":"HTTP","types":["{{{type}}}"],{{{FastRetries}}},
             "sinkcredential":{"credentialtype":"REFRESHTOKEN","accesstoken":"{{{accessToken}}}",
               "accesstokenexpiresutc":"{{{expiresUtc}}}","refreshtoken":"refresh-1",
               "refreshtokenendpoint":"{{{env.Sink.Url(tokenPath)}}}"}}
            """);
        var id = created["id"]!.GetValue<string>();
        await Client.WaitForStateAsync(id, "active");
        return (sinkPath, type, id);
    }

    [Fact]
    public async Task ExpiredAccessToken_IsRefreshedOnce_BeforeTheFirstDelivery()
    {
        var tokenPath = env.Sink.NewPath(new SinkBehavior(Granted("fresh-1", "refresh-2")) { Default = new SinkResponse(500) });
        var (sinkPath, type, _) = await SubscribeAsync(tokenPath, "stale", "2020-01-01T00:00:00Z");

        await Client.PostBinaryEventAsync("refresh-first", type);
        var first = await env.Sink.NextAsync(sinkPath);
        await Client.PostBinaryEventAsync("refresh-second", type);
        var second = await env.Sink.NextAsync(sinkPath);
        var refreshes = await env.Sink.CollectAsync(tokenPath, r => r.Count > 1, TimeSpan.FromSeconds(1));

        Assert.Equal("Bearer fresh-1", first.Header("Authorization"));
        Assert.Equal("Bearer fresh-1", second.Header("Authorization"));
        var refresh = Assert.Single(refreshes);
        Assert.StartsWith("application/x-www-form-urlencoded", refresh.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal("grant_type=refresh_token&refresh_token=refresh-1", refresh.BodyText);
    }

    [Fact]
    public async Task UnexpiredAccessToken_IsSentWithoutAskingTheTokenEndpoint()
    {
        var tokenPath = env.Sink.NewPath(new SinkBehavior(Granted("unwanted")));
        var (sinkPath, type, _) = await SubscribeAsync(tokenPath, "still-good", "2099-01-01T00:00:00Z");

        await Client.PostBinaryEventAsync("no-refresh", type);
        var delivered = await env.Sink.NextAsync(sinkPath);
        var refreshes = await env.Sink.CollectAsync(tokenPath, r => r.Count > 0, TimeSpan.FromMilliseconds(500));

        Assert.Equal("Bearer still-good", delivered.Header("Authorization"));
        Assert.Empty(refreshes);
    }

    [Fact]
    public async Task SinkRefusingTheToken_GetsTheEventAgain_WithARenewedToken_AndTheRotatedRefreshTokenIsUsedNext()
    {
        var tokenPath = env.Sink.NewPath(new SinkBehavior(Granted("renewed-1", "refresh-2"), Granted("renewed-2")));
        var sink = new SinkBehavior(new SinkResponse(401), new SinkResponse(202), new SinkResponse(401));
        var (sinkPath, type, _) = await SubscribeAsync(tokenPath, "revoked", "2099-01-01T00:00:00Z", sink);

        await Client.PostBinaryEventAsync("refused-1", type);
        var firstEvent = await env.Sink.CollectAsync(sinkPath, r => r.Count == 2, TimeSpan.FromSeconds(15));
        await Client.PostBinaryEventAsync("refused-2", type);
        var secondEvent = await env.Sink.CollectAsync(sinkPath, r => r.Count == 2, TimeSpan.FromSeconds(15));
        var refreshes = await env.Sink.CollectAsync(tokenPath, r => r.Count == 2, TimeSpan.FromSeconds(5));

        Assert.Equal(["Bearer revoked", "Bearer renewed-1"], firstEvent.Select(r => r.Header("Authorization")));
        Assert.All(firstEvent, r => Assert.Equal("refused-1", r.Header("ce-id")));
        Assert.Equal(["Bearer renewed-1", "Bearer renewed-2"], secondEvent.Select(r => r.Header("Authorization")));
        Assert.Equal(
            ["grant_type=refresh_token&refresh_token=refresh-1", "grant_type=refresh_token&refresh_token=refresh-2"],
            refreshes.Select(r => r.BodyText));
    }

    [Fact]
    public async Task TokenEndpointRefusing_KeepsTheEventWaiting_SaysWhyInTheStatus_AndDeliversOnceItGrants()
    {
        var refusal = new SinkResponse(
            400,
            new Dictionary<string, string> { ["Content-Type"] = "application/json" },
            """{"error":"invalid_grant","error_description":"the refresh token was revoked"}""");
        var tokenPath = env.Sink.NewPath(new SinkBehavior { Default = refusal });
        var (sinkPath, type, id) = await SubscribeAsync(tokenPath, "stale", "2020-01-01T00:00:00Z");

        await Client.PostBinaryEventAsync("waits", type);
        var status = await Client.StatusWhenAsync(id, s => s["lastfailure"] is not null);
        env.Sink.SetBehavior(tokenPath, new SinkBehavior { Default = Granted("granted-at-last") });
        var delivered = await env.Sink.NextAsync(sinkPath, timeout: TimeSpan.FromSeconds(20));

        var reason = status["lastfailure"]!["reason"]!.GetValue<string>();
        Assert.Contains("could not be refreshed", reason, StringComparison.Ordinal);
        Assert.Contains("400: invalid_grant (the refresh token was revoked)", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("refresh-1", reason, StringComparison.Ordinal);
        Assert.Equal("waits", delivered.Header("ce-id"));
        Assert.Equal("Bearer granted-at-last", delivered.Header("Authorization"));
    }

    [Fact]
    public async Task TokenEndpoint_ThatIsNotAnHttpUrl_IsRefusedAtCreate()
    {
        using var response = await Client.PostAsync("subscriptions", GatewayApi.Json($$$"""
            {"sink":"{{{env.Sink.Url(env.Sink.NewPath())}}}","protocol":"HTTP",
             "sinkcredential":{"credentialtype":"REFRESHTOKEN","accesstoken":"a","accesstokenexpiresutc":"2099-01-01T00:00:00Z",
               "refreshtoken":"r","refreshtokenendpoint":"ftp://tokens.example/"}}
            """));
        var problem = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"sinkcredential.refreshtokenendpoint\"", problem, StringComparison.Ordinal);
    }
}
