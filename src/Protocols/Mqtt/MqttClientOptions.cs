using Gateway.Protocols.Mqtt.Packets;

namespace Gateway.Protocols.Mqtt;

/// <summary>How to reach an MQTT broker. Immutable; change with <c>with</c>.</summary>
public sealed record MqttClientOptions
{
    /// <summary><c>mqtt://host:port</c> (1883 by default) or <c>mqtts://host:port</c> (TLS, 8883). This field is required.</summary>
    public required Uri Url { get; init; }

    /// <summary>The protocol version. This field is required.</summary>
    public required MqttVersion Version { get; init; }

    /// <summary>The client identifier (default: a new random one).</summary>
    public string ClientId { get; init; } = "gateway-" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>User name. May be null.</summary>
    public string? UserName { get; init; }

    /// <summary>Password. May be null.</summary>
    public string? Password { get; init; }

    /// <summary>The keep-alive the client announces and pings within (default: 30 seconds).</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long connecting and CONNECT/CONNACK may take (default: 5 seconds).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The most QoS 1/2 publishes in flight; the broker's Receive Maximum lowers it (default: 100).</summary>
    public int MaxInFlight { get; init; } = 100;

    /// <summary>The largest packet read from the broker (default: 16 MiB).</summary>
    public int MaxPacketSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>The longest wait between reconnect attempts (default: 5 seconds; the first waits 100 ms).</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// True (the default) starts every connection with a new session. False resumes the broker's session for
    /// <see cref="ClientId"/>: its subscriptions, and the QoS 1/2 messages that arrived or were not acknowledged while
    /// the client was away (MQTT 3.1.1 Clean Session 0, MQTT 5 Clean Start 0).
    /// </summary>
    public bool CleanStart { get; init; } = true;

    /// <summary>MQTT 5: how long the broker keeps the session after a connection ends (default: 0, at once).</summary>
    public uint SessionExpirySeconds { get; init; }

    /// <summary>
    /// False (the default): a received QoS 1/2 PUBLISH is acknowledged as soon as it is queued for the reader. True:
    /// only when the reader calls <see cref="MqttClient.AcknowledgeAsync"/>, so a subscriber can acknowledge after it
    /// has stored the message and a crash before that leaves it with the broker.
    /// </summary>
    public bool ExplicitAcknowledgement { get; init; }

    /// <summary>The port to use when the URL names none.</summary>
    internal int Port => Url.Port > 0 ? Url.Port : Url.Scheme == "mqtts" ? 8883 : 1883;
}

/// <summary>What the broker answered to a publish: its reason code (0 for QoS 0), and reason string.</summary>
public sealed record MqttPublishResult(byte ReasonCode, string? ReasonString = null)
{
    /// <summary>Reason codes of 0x80 and above are failures.</summary>
    public bool IsSuccess => ReasonCode < 0x80;
}

/// <summary>The client is not connected (it is reconnecting), or the connection broke before the broker answered.</summary>
public sealed class MqttNotConnectedException(string message) : Exception(message);

/// <summary>The broker refused the connection (CONNACK with a failure code).</summary>
public sealed class MqttConnectException(byte reasonCode, string message) : Exception(message)
{
    /// <summary>The CONNACK return or reason code.</summary>
    public byte ReasonCode => reasonCode;
}
