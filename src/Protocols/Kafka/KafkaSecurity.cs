using Confluent.Kafka;

namespace Gateway.Protocols.Kafka;

/// <summary>How sinks and sources reach a broker: TLS or not, and SASL/PLAIN when a credential is given.</summary>
internal static class KafkaSecurity
{
    public static T Apply<T>(T config, bool tls, string? user, string? password)
        where T : ClientConfig
    {
        config.SecurityProtocol = (tls, user is not null) switch
        {
            (true, true) => SecurityProtocol.SaslSsl,
            (true, false) => SecurityProtocol.Ssl,
            (false, true) => SecurityProtocol.SaslPlaintext,
            _ => SecurityProtocol.Plaintext,
        };
        config.SaslMechanism = user is null ? null : SaslMechanism.Plain;
        config.SaslUsername = user;
        config.SaslPassword = password;
        return config;
    }
}
