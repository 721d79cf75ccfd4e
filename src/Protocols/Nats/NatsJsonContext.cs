using System.Text.Json.Serialization;

namespace Gateway.Protocols.Nats;

/// <summary>The CONNECT options (https://docs.nats.io/reference/reference-protocols/nats-protocol#connect).</summary>
internal sealed class ConnectOptions
{
    [JsonPropertyName("verbose")]
    public bool Verbose { get; init; }

    [JsonPropertyName("pedantic")]
    public bool Pedantic { get; init; }

    [JsonPropertyName("tls_required")]
    public bool TlsRequired { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("lang")]
    public string Lang { get; init; } = ".NET";

    [JsonPropertyName("version")]
    public string Version { get; init; } = "1.0.0";

    [JsonPropertyName("protocol")]
    public int Protocol { get; init; } = 1;

    /// <summary>Headers (HPUB/HMSG), needed for binary mode (NATS-02).</summary>
    [JsonPropertyName("headers")]
    public bool Headers { get; init; } = true;

    /// <summary>A request to a subject nobody serves gets a 503 status at once instead of a timeout.</summary>
    [JsonPropertyName("no_responders")]
    public bool NoResponders { get; init; } = true;

    [JsonPropertyName("user")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? User { get; init; }

    [JsonPropertyName("pass")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Pass { get; init; }

    [JsonPropertyName("auth_token")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AuthToken { get; init; }
}

[JsonSerializable(typeof(ConnectOptions))]
internal sealed partial class NatsJsonContext : JsonSerializerContext;
