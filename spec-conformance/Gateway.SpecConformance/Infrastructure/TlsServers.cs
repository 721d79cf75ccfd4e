using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Gateway.Testing;

namespace Gateway.SpecConformance.Infrastructure;

/// <summary>
/// Two throwaway certificate authorities: one the gateway trusts (<c>Gateway:Tls:TrustedCaFile</c>) and one it does
/// not; a gateway that trusts the first; and for each protocol a real server with a certificate from each: HTTPS
/// sinks, Mosquitto TLS listeners (beside a plaintext one the test reads from), nats-servers that require TLS, and
/// TLS fronts for librdkafka's mock Kafka broker. One of each for the whole class.
/// </summary>
public sealed class TlsServers : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    public ThrowawayCa Trusted { get; private set; } = null!;

    public GatewayProcess Gateway { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>An HTTPS sink with a certificate from the trusted authority, and one from the other.</summary>
    public SinkServer TrustedSink { get; private set; } = null!;

    public SinkServer ForeignSink { get; private set; } = null!;

    /// <summary>One broker: a plaintext listener for the test's client, and a TLS listener with each certificate.</summary>
    public MosquittoProcess Mosquitto { get; private set; } = null!;

    public int MqttTrustedPort { get; private set; }

    public int MqttForeignPort { get; private set; }

    /// <summary>nats-servers that require TLS, with a certificate from each authority.</summary>
    public NatsServerProcess TrustedNats { get; private set; } = null!;

    public NatsServerProcess ForeignNats { get; private set; } = null!;

    public KafkaMockCluster Kafka { get; private set; } = null!;

    /// <summary>TLS fronts for the mock broker (it speaks only plaintext), with a certificate from each authority.</summary>
    public TlsRelay TrustedKafka { get; private set; } = null!;

    public TlsRelay ForeignKafka { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Trusted = await ThrowawayCa.CreateAsync("Gateway Test CA (trusted)");
        var foreign = await ThrowawayCa.CreateAsync("Gateway Test CA (foreign)");

        TrustedSink = Own(await SinkServer.StartAsync(Certificate(Trusted)));
        ForeignSink = Own(await SinkServer.StartAsync(Certificate(foreign)));

        MqttTrustedPort = LocalServer.FreePort();
        MqttForeignPort = LocalServer.FreePort();
        Mosquitto = Own(await MosquittoProcess.StartAsync([.. TlsListener(MqttTrustedPort, Trusted), .. TlsListener(MqttForeignPort, foreign)]));

        TrustedNats = Own(await NatsServerProcess.StartAsync(NatsTls(Trusted)));
        ForeignNats = Own(await NatsServerProcess.StartAsync(NatsTls(foreign)));

        Kafka = new KafkaMockCluster();
        var mockPort = int.Parse(Kafka.Bootstrap.Split(',')[0].Split(':')[1], CultureInfo.InvariantCulture);
        TrustedKafka = Own(new TlsRelay(Certificate(Trusted), mockPort));
        ForeignKafka = Own(new TlsRelay(Certificate(foreign), mockPort));

        Gateway = await GatewayProcess.StartAsync(settings: new Dictionary<string, string> { ["Gateway:Tls:TrustedCaFile"] = Trusted.CaFile });
        Client = new HttpClient { BaseAddress = Gateway.BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Gateway.DisposeAsync();
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        Kafka.Dispose();
    }

    private static X509Certificate2 Certificate(ThrowawayCa ca) =>
        X509Certificate2.CreateFromPemFile(ca.ServerCertificateFile, ca.ServerKeyFile);

    private static string[] TlsListener(int port, ThrowawayCa ca) =>
    [
        $"listener {port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1",
        $"cafile {ca.CaFile}",
        $"certfile {ca.ServerCertificateFile}",
        $"keyfile {ca.ServerKeyFile}",
    ];

    private static string[] NatsTls(ThrowawayCa ca) => ["--tls", "--tlscert", ca.ServerCertificateFile, "--tlskey", ca.ServerKeyFile];

    private T Own<T>(T disposable)
        where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }
}
