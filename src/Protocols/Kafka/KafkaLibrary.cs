using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace Gateway.Protocols.Kafka;

/// <summary>
/// Loads librdkafka once: from <c>Gateway:Kafka:LibraryPath</c> when it is set, else wherever the default loader finds
/// it (Debian's librdkafka1 and librdkafka-dev). When it cannot be loaded, Kafka sinks say so in their status, Kafka
/// sources are refused, and every other protocol works as before.
/// </summary>
public static class KafkaLibrary
{
    private static readonly Lock Gate = new();
    private static string? _unavailableReason;
    private static bool _probed;

    /// <summary>Why librdkafka is not available, or null when it is (loading it on the first call).</summary>
    public static string? UnavailableReason(string? libraryPath)
    {
        lock (Gate)
        {
            if (!_probed)
            {
                _probed = true;
                _unavailableReason = Probe(libraryPath);
            }

            return _unavailableReason;
        }
    }

    private static string? Probe(string? libraryPath)
    {
        if (libraryPath is not null)
        {
            // Confluent.Kafka's own Library.Load wants the unversioned libdl.so that Debian 12 lacks; a resolver on its
            // assembly works, and the source's calls (LibRdKafka, in this assembly) need the same one. A resolver that
            // cannot load must throw: returning nothing falls back to the default search.
            DllImportResolver resolver = (name, assembly, path) =>
                name.Contains("rdkafka", StringComparison.Ordinal)
                    ? NativeLibrary.Load(libraryPath)
                    : IntPtr.Zero;
            NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, resolver);
            NativeLibrary.SetDllImportResolver(typeof(KafkaLibrary).Assembly, resolver);
        }

        try
        {
            return Library.Version > 0 && LibRdKafka.rd_kafka_version() > 0 ? null : "librdkafka reported no version";
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or BadImageFormatException or InvalidOperationException)
        {
            return $"librdkafka cannot be loaded ({(ex.InnerException ?? ex).Message}); install Debian's librdkafka1 and librdkafka-dev";
        }
    }
}
