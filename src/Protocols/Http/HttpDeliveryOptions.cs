using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Http;

/// <summary>Gateway-wide policy for HTTP sinks.</summary>
public sealed record HttpDeliveryOptions
{
    /// <summary>
    /// Which addresses sinks and token endpoints may resolve to (the SSRF guard) and which certificates they may
    /// present. Default: every address, the system's roots.
    /// </summary>
    public OutboundGuard Guard { get; init; } = OutboundGuard.AllowingAll;

    /// <summary>Whether plain <c>http://</c> sinks are refused (WH-01). Default: false.</summary>
    public bool RequireHttps { get; init; }

    /// <summary>The <c>WebHook-Request-Origin</c> this gateway sends (WH-11, WH-14). Default: the host name.</summary>
    public string WebhookOrigin { get; init; } = Environment.MachineName;

    /// <summary>Whether a sink must grant the OPTIONS handshake before it gets events (WH-13). Default: true.</summary>
    public bool ValidateSinks { get; init; } = true;

    /// <summary>How long the OPTIONS handshake may take. Default: 30 seconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
