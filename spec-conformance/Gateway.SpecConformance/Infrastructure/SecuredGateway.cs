using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.SpecConformance.Infrastructure;

/// <summary>
/// A gateway with API keys and a token issuer configured: only the keys' hashes are in its settings; the
/// HMAC key that signs the tokens is made here, so every token the tests mint is one the gateway can check.
/// </summary>
public sealed class SecuredGateway : IAsyncLifetime
{
    public const string Issuer = "https://issuer.conformance.test";

    public const string Audience = "cloudevents-gateway";

    private readonly byte[] _signingKey = RandomNumberGenerator.GetBytes(32);

    private GatewayProcess? _process;

    public static string ReaderKey { get; } = NewKey();

    public static string WriterKey { get; } = NewKey();

    /// <summary>A second tenant with the same scopes as <see cref="WriterKey"/>.</summary>
    public static string OtherWriterKey { get; } = NewKey();

    public static string ProducerKey { get; } = NewKey();

    public static string AdminKey { get; } = NewKey();

    public GatewayProcess Process => _process!;

    public async ValueTask InitializeAsync()
    {
        _process = await GatewayProcess.StartAsync(settings: new Dictionary<string, string>
        {
            ["Gateway:Auth:ApiKeys:reader:Sha256"] = Hash(ReaderKey),
            ["Gateway:Auth:ApiKeys:reader:Scopes"] = "subscriptions:read",
            ["Gateway:Auth:ApiKeys:writer:Sha256"] = Hash(WriterKey),
            ["Gateway:Auth:ApiKeys:writer:Scopes"] = "subscriptions:read subscriptions:write",
            ["Gateway:Auth:ApiKeys:team-b:Sha256"] = Hash(OtherWriterKey),
            ["Gateway:Auth:ApiKeys:team-b:Scopes"] = "subscriptions:read subscriptions:write",
            ["Gateway:Auth:ApiKeys:producer:Sha256"] = Hash(ProducerKey),
            ["Gateway:Auth:ApiKeys:producer:Scopes"] = "events:write",
            ["Gateway:Auth:ApiKeys:producer:Sources"] = "/fleet/",
            ["Gateway:Auth:ApiKeys:ops:Sha256"] = Hash(AdminKey),
            ["Gateway:Auth:ApiKeys:ops:Scopes"] = "admin",
            ["Gateway:Auth:Jwt:Issuer"] = Issuer,
            ["Gateway:Auth:Jwt:Audience"] = Audience,
            ["Gateway:Auth:Jwt:SigningKeys:0"] = Convert.ToBase64String(_signingKey),
        });
    }

    public HttpClient Client(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = Process.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        }

        return client;
    }

    /// <summary>A token as an OIDC provider would issue it; each argument can be made wrong on purpose.</summary>
    public string Token(
        string subject, string scope, TimeSpan? lifetime = null, string audience = Audience, byte[]? signingKey = null)
    {
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(5));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            IssuedAt = expires < now ? expires.AddMinutes(-5) : now,
            NotBefore = expires < now ? expires.AddMinutes(-5) : now,
            Expires = expires,
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["scope"] = scope },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(signingKey ?? _signingKey), SecurityAlgorithms.HmacSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    private static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
