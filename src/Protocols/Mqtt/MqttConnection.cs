using Gateway.Protocols.Abstractions;
using MQTTnet;
using MQTTnet.Formatter;

namespace Gateway.Protocols.Mqtt;

/// <summary>How a sink or source reaches its broker: MQTTnet client options for <c>mqtt://</c> or <c>mqtts://</c> (TLS).</summary>
internal static class MqttConnection
{
    /// <summary>How long connecting, and waiting for an acknowledgement, may take.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static MqttClientOptionsBuilder Options(
        Uri broker, MqttVersion version, string clientId, SinkCredential? credential, OutboundGuard guard)
    {
        var tls = broker.Scheme == "mqtts";
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.Port > 0 ? broker.Port : tls ? 8883 : 1883)
            .WithStreamProvider(new GuardedMqttStreams(guard))
            .WithProtocolVersion(version == MqttVersion.V500 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311)
            .WithClientId(clientId)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithTimeout(Timeout);
        if (tls)
        {
            builder = builder.WithTlsOptions(o => o.UseTls().WithCertificateValidationHandler(
                check => guard.Trust.Validate(null, check.Certificate, check.Chain, check.SslPolicyErrors)));
        }

        return credential is { CredentialType: SinkCredential.Plain }
            ? builder.WithCredentials(credential.Identifier, credential.Secret)
            : builder;
    }

    /// <summary>The guard's refusal when it is what made a connect fail (MQTTnet wraps it).</summary>
    public static PrivateAddressRefusedException? Refusal(Exception exception)
    {
        for (Exception? cause = exception; cause is not null; cause = cause.InnerException)
        {
            if (cause is PrivateAddressRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }

    /// <summary>An MQTTnet error in words: its message, and the inner cause when it adds something.</summary>
    public static string Describe(Exception exception) =>
        Refusal(exception) is { } refused ? refused.Message
        : exception.InnerException is { } inner && !exception.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{exception.Message}: {inner.Message}"
            : exception.Message;
}
