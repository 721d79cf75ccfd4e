using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.SpecConformance.Infrastructure;

namespace Gateway.SpecConformance;

/// <summary>
/// Who may call what, black-box against a gateway with API keys and a token issuer: 401
/// with <c>WWW-Authenticate</c> without or with a wrong credential, 403 naming the missing scope, and producers bound
/// to their own event sources (WH-08).
/// </summary>
public sealed class AuthenticationTests(ConformanceEnvironment env, SecuredGateway gateway) : IClassFixture<SecuredGateway>
{
    private static async Task<JsonNode> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(body)!;
    }

    private static string Field(JsonNode problem) => problem["errors"]![0]!["field"]!.GetValue<string>();

    private string Subscription() => $$"""{"protocol":"HTTP","sink":"{{env.Sink.Url(env.Sink.NewPath())}}"}""";

    [Theory]
    [InlineData("GET", "subscriptions")]
    [InlineData("POST", "subscriptions")]
    [InlineData("GET", "subscriptions/any/deadletters")]
    [InlineData("POST", "subscriptions/any/deadletters/redrive")]
    [InlineData("GET", "sources")]
    [InlineData("GET", "services")]
    [InlineData("POST", "services")]
    [InlineData("POST", "openwhisk/feed")]
    [InlineData("POST", "events")]
    public async Task NoCredential_Answers401_NamingTheScheme(string method, string path)
    {
        using var client = gateway.Client();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = GatewayApi.Json("{}") };
        using var response = await client.SendAsync(request);

        var problem = await ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Authorization", Field(problem));
        Assert.StartsWith("Bearer realm=", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongKey_Answers401_InvalidToken()
    {
        using var client = gateway.Client("not-a-key-this-gateway-knows");
        using var response = await client.GetAsync("subscriptions");

        await ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadScope_Lists_ButMayNotCreate()
    {
        using var reader = gateway.Client(SecuredGateway.ReaderKey);

        using var list = await reader.GetAsync("subscriptions");
        using var create = await reader.PostAsync("subscriptions", GatewayApi.Json(Subscription()));

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var problem = await ProblemAsync(create, HttpStatusCode.Forbidden);
        Assert.Contains("subscriptions:write", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("reader", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteScope_Creates_AndTheKeyMayComeAsXApiKey()
    {
        using var client = gateway.Client();
        client.DefaultRequestHeaders.Add("X-Api-Key", SecuredGateway.WriterKey);

        using var create = await client.PostAsync("subscriptions", GatewayApi.Json(Subscription()));

        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
    }

    [Fact]
    public async Task SourcesAndServiceRegistration_NeedAdmin()
    {
        using var writer = gateway.Client(SecuredGateway.WriterKey);
        using var admin = gateway.Client(SecuredGateway.AdminKey);

        using var writerSources = await writer.GetAsync("sources");
        using var adminSources = await admin.GetAsync("sources");
        using var writerServices = await writer.PostAsync("services", GatewayApi.Json("[]"));

        await ProblemAsync(writerSources, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, adminSources.StatusCode);
        await ProblemAsync(writerServices, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task WH_08_Producer_PostsWithAccessTokenQuery_UnderItsOwnSources()
    {
        using var client = gateway.Client();
        var type = GatewayApi.NewType();

        using var own = await client.PostBinaryEventAsync("a-1", type, source: "/fleet/truck-7", path: $"events?access_token={SecuredGateway.ProducerKey}");
        using var foreign = await client.PostBinaryEventAsync("a-2", type, source: "/billing", path: $"events?access_token={SecuredGateway.ProducerKey}");

        Assert.Equal(HttpStatusCode.Accepted, own.StatusCode);
        var problem = await ProblemAsync(foreign, HttpStatusCode.Forbidden);
        Assert.Equal("ce-source", Field(problem));
    }

    [Fact]
    public async Task Ingress_NeedsEventsWrite_NotSubscriptionScopes()
    {
        using var writer = gateway.Client(SecuredGateway.WriterKey);

        using var response = await writer.PostBinaryEventAsync("a-3", GatewayApi.NewType());

        await ProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AccessTokenQuery_IsNotTakenOutsideIngress()
    {
        using var client = gateway.Client();

        using var response = await client.GetAsync($"subscriptions?access_token={SecuredGateway.AdminKey}");

        await ProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task BearerToken_WithTheScope_IsAccepted()
    {
        using var client = gateway.Client(gateway.Token("tenant-a", "subscriptions:read openid"));

        using var response = await client.GetAsync("subscriptions");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task BearerToken_WithoutTheScope_Answers403()
    {
        using var client = gateway.Client(gateway.Token("tenant-a", "subscriptions:read"));

        using var response = await client.PostAsync("subscriptions", GatewayApi.Json(Subscription()));

        await ProblemAsync(response, HttpStatusCode.Forbidden);
    }

    public static TheoryData<string> WrongTokens => new() { "expired", "audience", "signature" };

    [Theory]
    [MemberData(nameof(WrongTokens))]
    public async Task BearerToken_ExpiredOrForAnotherAudienceOrBadlySigned_Answers401(string wrong)
    {
        var token = wrong switch
        {
            "expired" => gateway.Token("tenant-a", "admin", lifetime: TimeSpan.FromMinutes(-2)),
            "audience" => gateway.Token("tenant-a", "admin", audience: "another-service"),
            _ => gateway.Token("tenant-a", "admin", signingKey: RandomNumberGenerator.GetBytes(32)),
        };
        using var client = gateway.Client(token);

        using var response = await client.GetAsync("subscriptions");

        await ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthAndHandshake_StayOpen()
    {
        using var client = gateway.Client();
        using var handshake = new HttpRequestMessage(HttpMethod.Options, "events");
        handshake.Headers.Add("WebHook-Request-Origin", "producer.example.com");

        using var health = await client.GetAsync("healthz");
        using var options = await client.SendAsync(handshake);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, options.StatusCode);
    }

    [Fact]
    public async Task AnonymousIngress_OpensEventsAlone()
    {
        await using var open = await GatewayProcess.StartAsync(settings: new Dictionary<string, string>
        {
            ["Gateway:Auth:ApiKeys:ops:Sha256"] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("k"))),
            ["Gateway:Auth:ApiKeys:ops:Scopes"] = "admin",
            ["Gateway:Auth:AnonymousIngress"] = "true",
        });
        using var client = new HttpClient { BaseAddress = open.BaseAddress };

        using var post = await client.PostBinaryEventAsync("a-4", GatewayApi.NewType());
        using var list = await client.GetAsync("subscriptions");

        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("required")]
    public async Task WithoutAnyKey_BeyondLoopbackOrRequired_RefusesToStart_NamingTheMode(string mode)
    {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never a local address, so nothing is ever bound there.
        var urls = mode == "auto" ? "http://192.0.2.1:8080" : "http://127.0.0.1:1";

        var (exitCode, output) = await GatewayProcess.RunToExitAsync("--urls", urls, $"--Gateway:Auth:Mode={mode}");

        Assert.Equal(2, exitCode);
        Assert.Contains("Gateway:Auth:Mode", output, StringComparison.Ordinal);
    }
}
