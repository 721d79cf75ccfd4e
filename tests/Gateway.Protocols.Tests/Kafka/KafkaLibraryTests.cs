using Confluent.Kafka;
using Gateway.Protocols.Kafka;

namespace Gateway.Protocols.Tests.Kafka;

/// <summary>
/// Which librdkafka the Kafka sinks and sources use: the librdkafka.redist build beside the binaries, of
/// the version Confluent.Kafka was released with, even on a machine where an OS copy is installed (this one has
/// Debian's librdkafka1 2.0.2, which kcat brings).
/// </summary>
public sealed class KafkaLibraryTests
{
    [Fact]
    public void TheLoadedLibrary_IsTheRedistBuild_OfConfluentKafkasVersion()
    {
        var confluent = typeof(Library).Assembly.GetName().Version!;

        var described = KafkaLibrary.Describe(libraryPath: null);

        Assert.Null(KafkaLibrary.UnavailableReason(libraryPath: null));
        Assert.StartsWith($"librdkafka {confluent.Major}.{confluent.Minor}.", described, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(AppContext.BaseDirectory, "runtimes"), described, StringComparison.Ordinal);
        Assert.Equal(Library.VersionString, described.Split(' ')[1]);
        Assert.NotEqual(IntPtr.Zero, KafkaLibrary.Handle(libraryPath: null));
    }
}
