using System.Globalization;
using Gateway.Protocols.Abstractions;
using Gateway.Ingress;
using Gateway.Protocols.Http;
using Gateway.Security;

namespace Gateway.Hosting;

/// <summary>The gateway's settings, read once at start from the <c>Gateway</c> configuration section.</summary>
internal sealed record GatewayOptions
{
    /// <summary>Where the gateway listens when nothing else is configured.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary><c>Gateway:Storage</c>: <c>sqlite</c> (default).</summary>
    public required string Storage { get; init; }

    /// <summary><c>ConnectionStrings:Gateway</c>.</summary>
    public required string ConnectionString { get; init; }

    /// <summary>
    /// <c>Gateway:NodeName</c>: this node's name, stable across its restarts and different from every other node's
    /// (an MQTT source's persistent session is named after it). The machine's name by default.
    /// </summary>
    public required string NodeName { get; init; }

    /// <summary>HTTP delivery policy (<c>Gateway:Delivery:*</c>, <c>Gateway:Webhook:*</c>).</summary>
    public required HttpDeliveryOptions HttpDelivery { get; init; }

    /// <summary><c>Gateway:Kafka:LibraryPath</c>: where librdkafka is, when not where the loader looks.</summary>
    public string? KafkaLibraryPath { get; init; }

    /// <summary><c>Gateway:OpenWhisk:FeedSecret</c>: the shared secret the feed action sends, or null for none.</summary>
    public string? OpenWhiskFeedSecret { get; init; }

    /// <summary>Discovery settings (<c>Gateway:Discovery:*</c>).</summary>
    public required Discovery.DiscoveryOptions Discovery { get; init; }

    /// <summary>What the delivery workers read (<c>Gateway:Delivery:HopLimit</c>).</summary>
    public required Delivery.DeliveryOptions Delivery { get; init; }

    /// <summary>What <c>OPTIONS /events</c> grants and how large a request may be (<c>Gateway:Ingress:*</c>).</summary>
    public required IngressOptions Ingress { get; init; }

    /// <summary>
    /// The SSRF guard of every protocol, from <c>Gateway:Delivery:AllowPrivateSinks</c>, and the authorities server
    /// certificates may chain to, from <c>Gateway:Tls:TrustedCaFile</c>.
    /// </summary>
    public required OutboundGuard OutboundGuard { get; init; }

    /// <summary>Who may call the gateway (<c>Gateway:Auth:*</c>).</summary>
    public required AuthOptions Auth { get; init; }

    /// <summary>Reads the options; defaults that depend on exposure follow the listen addresses (design.md).</summary>
    public static GatewayOptions Read(IConfiguration configuration, IReadOnlyList<string> urls)
    {
        var loopbackOnly = NetworkAddresses.AreAllLoopback(urls);
        var gateway = configuration.GetSection("Gateway");
        var validateSinks = gateway["Webhook:ValidateSinks"] ?? "required";
        if (validateSinks is not ("required" or "off"))
        {
            throw new ConfigurationException("Gateway:Webhook:ValidateSinks must be 'required' or 'off'.");
        }

        var guard = new OutboundGuard(gateway.GetValue("Delivery:AllowPrivateSinks", loopbackOnly), ReadTrust(gateway["Tls:TrustedCaFile"]));
        return new GatewayOptions
        {
            OutboundGuard = guard,
            Auth = AuthOptions.Read(gateway.GetSection("Auth"), urls, loopbackOnly),
            Storage = gateway["Storage"] ?? "sqlite",
            NodeName = gateway["NodeName"] ?? Environment.MachineName,
            ConnectionString = configuration.GetConnectionString("Gateway") ?? "Data Source=gateway.db",
            HttpDelivery = new HttpDeliveryOptions
            {
                Guard = guard,
                RequireHttps = gateway.GetValue("Delivery:RequireHttps", !loopbackOnly),
                WebhookOrigin = gateway["Webhook:Origin"] ?? Environment.MachineName,
                ValidateSinks = validateSinks == "required",
            },
            Delivery = new Delivery.DeliveryOptions { HopLimit = gateway.GetValue("Delivery:HopLimit", 16) },
            OpenWhiskFeedSecret = gateway["OpenWhisk:FeedSecret"],
            KafkaLibraryPath = gateway["Kafka:LibraryPath"],
            Discovery = new Discovery.DiscoveryOptions
            {
                Name = gateway["Discovery:Name"] ?? "cloudevents-gateway",
                MaxEventTypes = gateway.GetValue("Discovery:MaxEventTypes", 1000),
            },
            Ingress = new IngressOptions
            {
                AllowedOrigins = (gateway["Ingress:AllowedOrigins"] ?? "*")
                    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                AllowedRate = ReadRate(gateway["Ingress:AllowedRate"] ?? "*"),
                MaxBodyBytes = gateway.GetValue("Ingress:MaxBodyBytes", IngressOptions.DefaultMaxBodyBytes),
            },
        };
    }

    /// <summary>The system's roots, and the authorities of <c>Gateway:Tls:TrustedCaFile</c> when it is set.</summary>
    private static TrustedAuthorities ReadTrust(string? caFile)
    {
        if (string.IsNullOrEmpty(caFile))
        {
            return TrustedAuthorities.SystemRoots;
        }

        try
        {
            return TrustedAuthorities.Load(caFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or InvalidDataException)
        {
            throw new ConfigurationException($"Gateway:Tls:TrustedCaFile: {ex.Message}");
        }
    }

    /// <summary>WH-12: <c>*</c> or a positive number of requests per minute.</summary>
    private static string ReadRate(string rate) =>
        rate == "*" || (int.TryParse(rate, NumberStyles.None, CultureInfo.InvariantCulture, out var perMinute) && perMinute > 0)
            ? rate
            : throw new ConfigurationException($"Gateway:Ingress:AllowedRate must be '*' or a positive number of requests per minute, not '{rate}'.");
}
