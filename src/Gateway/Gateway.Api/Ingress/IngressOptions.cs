using System.Globalization;

namespace Gateway.Ingress;

/// <summary>Ingress settings (<c>Gateway:Ingress:*</c>).</summary>
internal sealed record IngressOptions
{
    /// <summary>1 MiB: well above the 64 KiB every intermediary must forward (CE-07).</summary>
    public const long DefaultMaxBodyBytes = 1024 * 1024;

    /// <summary>Origins granted by <c>OPTIONS /events</c>; <c>*</c> grants all.</summary>
    public required IReadOnlyList<string> AllowedOrigins { get; init; }

    /// <summary>
    /// The <c>WebHook-Allowed-Rate</c> granted: <c>*</c> or requests per minute, and the limit enforced on each
    /// producer.
    /// </summary>
    public required string AllowedRate { get; init; }

    /// <summary>The enforced requests per minute, or null for unlimited.</summary>
    public int? RequestsPerMinute => AllowedRate == "*" ? null : int.Parse(AllowedRate, CultureInfo.InvariantCulture);

    /// <summary>The largest request body accepted; larger ones get 413.</summary>
    public required long MaxBodyBytes { get; init; }
}
