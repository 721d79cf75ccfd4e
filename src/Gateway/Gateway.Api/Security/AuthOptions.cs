using Gateway.Hosting;

namespace Gateway.Security;

/// <summary>Who may call the gateway (<c>Gateway:Auth:*</c>): read once at start.</summary>
internal sealed record AuthOptions
{
    public required AuthMode Mode { get; init; }

    public required IReadOnlyList<ApiKey> ApiKeys { get; init; }

    public JwtSettings? Jwt { get; init; }

    /// <summary><c>Gateway:Auth:AnonymousIngress</c>: anyone may post to <c>/events</c> while the rest needs a key.</summary>
    public bool AnonymousIngress { get; init; }

    /// <summary>Whether requests are authenticated; when not, every caller is the gateway's one open tenant.</summary>
    public bool Enforced => Mode != AuthMode.None && (ApiKeys.Count > 0 || Jwt is not null);

    /// <summary>
    /// Reads the settings and refuses, naming <c>Gateway:Auth:Mode</c>, a gateway that would listen beyond loopback
    /// with nobody to authenticate.
    /// </summary>
    public static AuthOptions Read(IConfigurationSection auth, IReadOnlyList<string> urls, bool loopbackOnly)
    {
        var mode = (auth["Mode"] ?? "auto") switch
        {
            "auto" => AuthMode.Auto,
            "required" => AuthMode.Required,
            "none" => AuthMode.None,
            var other => throw new ConfigurationException($"Gateway:Auth:Mode must be 'auto', 'required' or 'none', not '{other}'."),
        };
        var options = new AuthOptions
        {
            Mode = mode,
            ApiKeys = [.. auth.GetSection("ApiKeys").GetChildren().Select(ReadKey)],
            Jwt = JwtSettings.Read(auth.GetSection("Jwt")),
            AnonymousIngress = auth.GetValue("AnonymousIngress", false),
        };
        var configured = options.ApiKeys.Count > 0 || options.Jwt is not null;
        if (!configured && (mode == AuthMode.Required || (mode == AuthMode.Auto && !loopbackOnly)))
        {
            throw new ConfigurationException(
                $"The gateway would listen on {string.Join(", ", urls)} with no authentication: configure " +
                "Gateway:Auth:ApiKeys or Gateway:Auth:Jwt, or set Gateway:Auth:Mode=none to run it open on purpose " +
                $"(Gateway:Auth:Mode is '{auth["Mode"] ?? "auto"}').");
        }

        return options;
    }

    private static ApiKey ReadKey(IConfigurationSection key)
    {
        var hex = key["Sha256"] ?? throw new ConfigurationException($"{key.Path}:Sha256 is required: the key's SHA-256, in hex.");
        byte[] hash;
        try
        {
            hash = Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            hash = [];
        }

        if (hash.Length != 32)
        {
            throw new ConfigurationException($"{key.Path}:Sha256 must be 64 hex digits (a SHA-256), not '{hex}'.");
        }

        var scopes = Words(key["Scopes"]);
        if (scopes.Length == 0 || scopes.Any(s => !Scopes.All.Contains(s)))
        {
            throw new ConfigurationException(
                $"{key.Path}:Scopes is '{key["Scopes"]}': list one or more of {string.Join(", ", Scopes.All)}, space-separated.");
        }

        return new ApiKey(key.Key, hash, scopes.ToHashSet(StringComparer.Ordinal), Words(key["Sources"]));
    }

    private static string[] Words(string? text) =>
        (text ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
