using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Nats;

/// <summary>How to reach a NATS server. Immutable; change with <c>with</c>.</summary>
public sealed record NatsOptions
{
    /// <summary><c>nats://host:port</c>, or <c>tls://host:port</c> for TLS from the start. This field is required.</summary>
    public required Uri Url { get; init; }

    /// <summary>User for user/password authentication. May be null.</summary>
    public string? User { get; init; }

    /// <summary>Password for user/password authentication. May be null.</summary>
    public string? Password { get; init; }

    /// <summary>Token authentication. May be null.</summary>
    public string? Token { get; init; }

    /// <summary>The client name the server shows (default: cloudevents-gateway).</summary>
    public string Name { get; init; } = "cloudevents-gateway";

    /// <summary>How long connecting and the CONNECT/PING handshake may take (default: 5 seconds).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the client pings an idle server (default: 30 seconds); two unanswered pings end the connection.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between reconnect attempts (default: 5 seconds; the first waits 100 ms).</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest message the client reads, whatever the server says (default: 64 MiB).</summary>
    public int MaxPayloadHardCap { get; init; } = 64 * 1024 * 1024;

    /// <summary>True for <c>nats://host[:port]</c> and <c>tls://host[:port]</c>, the addresses of sinks and sources.</summary>
    internal static bool IsValidAddress(string address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var url) && url.Scheme is "nats" or "tls" && !string.IsNullOrEmpty(url.Host);

    /// <summary>
    /// The options for a validated address (port 4222 when it names none) and credential: <c>PLAIN</c> is user and
    /// password, <c>ACCESSTOKEN</c> the token.
    /// </summary>
    internal static NatsOptions For(string address, SinkCredential? credential)
    {
        var url = new Uri(address);
        return new NatsOptions
        {
            Url = url.Port > 0 ? url : new UriBuilder(url) { Port = 4222 }.Uri,
            User = credential is { CredentialType: SinkCredential.Plain } ? credential.Identifier : null,
            Password = credential is { CredentialType: SinkCredential.Plain } ? credential.Secret : null,
            Token = credential is { CredentialType: SinkCredential.AccessTokenType } ? credential.AccessToken : null,
        };
    }
}

/// <summary>The client is not connected (it is reconnecting); the operation was not sent.</summary>
public sealed class NatsNotConnectedException(string message) : Exception(message);

/// <summary>The message is larger than the server's max_payload; it was not sent.</summary>
public sealed class NatsPayloadTooLargeException(string message) : Exception(message);

/// <summary>The server refused the connection (-ERR during the handshake, such as an authorization violation).</summary>
public sealed class NatsConnectException(string message) : Exception(message);
