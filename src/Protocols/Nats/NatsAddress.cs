using Gateway.Protocols.Abstractions;
using NATS.Client.Core;

namespace Gateway.Protocols.Nats;

/// <summary>The address of a NATS sink or source, <c>nats://host[:port]</c> or <c>tls://host[:port]</c>, as NATS.Net options.</summary>
internal static class NatsAddress
{
    public static bool IsValid(string address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var url) && url.Scheme is "nats" or "tls" && !string.IsNullOrEmpty(url.Host);

    /// <summary>The host of a valid address, for the SSRF guard.</summary>
    public static string Host(string address) => new Uri(address).Host;

    /// <summary>
    /// The client options for a validated address (port 4222 when it names none) and credential: <c>PLAIN</c> is user
    /// and password, <c>ACCESSTOKEN</c> the token; <c>tls://</c> requires TLS.
    /// </summary>
    public static NatsOpts Options(string address, SinkCredential? credential, OutboundGuard guard)
    {
        var url = new Uri(address);
        var port = url.Port > 0 ? url.Port : 4222;
        return NatsOpts.Default with
        {
            Url = $"nats://{url.Host}:{port}",
            Name = "cloudevents-gateway",
            TlsOpts = new NatsTlsOpts
            {
                // Prefer, not Auto: Auto reads the validation callback below as a demand for TLS on nats:// too.
                Mode = url.Scheme == "tls" ? TlsMode.Require : TlsMode.Prefer,
                ConfigureClientAuthentication = tls =>
                {
                    tls.RemoteCertificateValidationCallback = guard.Trust.Validate;
                    return ValueTask.CompletedTask;
                },
            },
            AuthOpts = NatsAuthOpts.Default with
            {
                Username = credential is { CredentialType: SinkCredential.Plain } ? credential.Identifier : null,
                Password = credential is { CredentialType: SinkCredential.Plain } ? credential.Secret : null,
                Token = credential is { CredentialType: SinkCredential.AccessTokenType } ? credential.AccessToken : null,
            },
            SocketConnectionFactory = new GuardedNatsSockets(guard),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            ReconnectWaitMax = TimeSpan.FromSeconds(5),

            // A publish while reconnecting fails after CommandTimeout instead of waiting in the client indefinitely.
            PublishTimeoutOnDisconnected = true,

            // A source's messages wait for the event log instead of being dropped when it is slow.
            SubPendingChannelFullMode = System.Threading.Channels.BoundedChannelFullMode.Wait,
        };
    }

    /// <summary>The address for messages: the URL without credentials.</summary>
    public static Uri Display(NatsOpts options) => new(options.Url);
}
