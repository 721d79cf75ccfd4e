using System.Text.Json;

namespace Gateway.Protocols.Nats;

/// <summary>The parts of the server's <c>INFO</c> the client uses.</summary>
public sealed record NatsServerInfo(string ServerId, string Version, int MaxPayload, bool Headers, bool TlsRequired, bool AuthRequired, bool JetStream)
{
    internal static NatsServerInfo Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new NatsServerInfo(
            root.TryGetProperty("server_id", out var id) ? id.GetString() ?? string.Empty : string.Empty,
            root.TryGetProperty("version", out var version) ? version.GetString() ?? string.Empty : string.Empty,
            root.TryGetProperty("max_payload", out var max) ? max.GetInt32() : 1024 * 1024,
            root.TryGetProperty("headers", out var headers) && headers.GetBoolean(),
            root.TryGetProperty("tls_required", out var tls) && tls.GetBoolean(),
            root.TryGetProperty("auth_required", out var auth) && auth.GetBoolean(),
            root.TryGetProperty("jetstream", out var js) && js.GetBoolean());
    }
}
