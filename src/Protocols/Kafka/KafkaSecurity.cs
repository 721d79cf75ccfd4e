using Confluent.Kafka;

namespace Gateway.Protocols.Kafka;

/// <summary>
/// How sinks and sources reach a broker: TLS or not, and SASL/PLAIN when a credential is given. librdkafka verifies
/// the broker's certificate and name itself, against <c>Gateway:Tls:TrustedCaFile</c> when it is set (then instead
/// of the system's roots: librdkafka takes one CA location) or the system's roots.
/// </summary>
internal static class KafkaSecurity
{
    public static T Apply<T>(T config, bool tls, string? caFile, string? user, string? password)
        where T : ClientConfig
    {
        config.SslCaLocation = caFile;
        config.SslEndpointIdentificationAlgorithm = SslEndpointIdentificationAlgorithm.Https;
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
