using System.Runtime.InteropServices;
using Gateway.Protocols.Kafka;

namespace Gateway.Testing;

/// <summary>
/// librdkafka's mock cluster: a real Kafka-protocol broker in memory, listening on a loopback port that any Kafka
/// client connects to (environment.md). Its broker can be taken down and brought back. It runs in the redist's
/// librdkafka, the very file the product loads (<see cref="KafkaLibrary"/>), never an OS copy.
/// </summary>
public sealed partial class KafkaMockCluster : IDisposable
{
    private const string Library = "librdkafka";

    private readonly IntPtr _client;
    private readonly IntPtr _cluster;

    static KafkaMockCluster()
    {
        var handle = KafkaLibrary.Handle(libraryPath: null);
        if (handle == IntPtr.Zero)
        {
            throw new InvalidOperationException(KafkaLibrary.Describe(libraryPath: null));
        }

        NativeLibrary.SetDllImportResolver(typeof(KafkaMockCluster).Assembly, (name, _, _) => name == Library ? handle : IntPtr.Zero);
    }

    public KafkaMockCluster()
    {
        var errors = Marshal.AllocHGlobal(512);
        try
        {
            _client = rd_kafka_new(1 /* RD_KAFKA_CONSUMER: the handle only hosts the cluster */, rd_kafka_conf_new(), errors, 512);
            if (_client == IntPtr.Zero)
            {
                throw new InvalidOperationException($"rd_kafka_new failed: {Marshal.PtrToStringAnsi(errors)}");
            }
        }
        finally
        {
            Marshal.FreeHGlobal(errors);
        }

        _cluster = rd_kafka_mock_cluster_new(_client, 1);
        Bootstrap = Marshal.PtrToStringAnsi(rd_kafka_mock_cluster_bootstraps(_cluster))!;
    }

    /// <summary><c>127.0.0.1:PORT</c>.</summary>
    public string Bootstrap { get; }

    /// <summary>Creates a topic with <paramref name="partitions"/> partitions, so consumers find it before anything is produced.</summary>
    public void CreateTopic(string topic, int partitions) =>
        Check(rd_kafka_mock_topic_create(_cluster, topic, partitions, 1), "topic_create");

    public void TakeDown() => Check(rd_kafka_mock_broker_set_down(_cluster, 1), "broker_set_down");

    public void BringUp() => Check(rd_kafka_mock_broker_set_up(_cluster, 1), "broker_set_up");

    public void Dispose()
    {
        rd_kafka_mock_cluster_destroy(_cluster);
        rd_kafka_destroy(_client);
    }

    private static void Check(int error, string call)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"rd_kafka_mock_{call} failed with {error}");
        }
    }

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_conf_new();

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_new(int type, IntPtr conf, IntPtr errstr, nuint errstrSize);

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokerCount);

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rd_kafka_mock_topic_create(IntPtr cluster, string topic, int partitions, int replicationFactor);

    [LibraryImport(Library)]
    private static partial int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);

    [LibraryImport(Library)]
    private static partial int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);

    [LibraryImport(Library)]
    private static partial void rd_kafka_mock_cluster_destroy(IntPtr cluster);

    [LibraryImport(Library)]
    private static partial void rd_kafka_destroy(IntPtr rk);
}
