using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace Gateway.Protocols.Kafka;

/// <summary>
/// Loads librdkafka once, for Confluent.Kafka: from
/// <c>Gateway:Kafka:LibraryPath</c> when it is set, else the first of librdkafka.redist's Linux builds beside the
/// gateway (<c>runtimes/linux-x64/native</c>) whose dependencies resolve on this machine. The glibc build needs
/// <c>libsasl2.so.3</c>, which Debian 12 lacks, so there the CentOS 8 build loads (environment.md). A resolver on
/// Confluent.Kafka's assembly binds the name before the default search does, so an OS copy (Debian's librdkafka1 2.0.2, which kcat
/// brings) never shadows the redist's. When nothing loads, Kafka sinks say so in their status, Kafka sources are
/// refused, and every other protocol works as before.
/// </summary>
public static class KafkaLibrary
{
    /// <summary>The redist's Linux builds, in the order they are tried: glibc, CentOS 8 (older glibc, own SASL), musl.</summary>
    private static readonly string[] RedistBuilds = ["librdkafka.so", "centos8-librdkafka.so", "alpine-librdkafka.so"];

    private static readonly Lock Gate = new();
    private static Loaded? _loaded;

    /// <summary>Why librdkafka is not available, or null when it is (loading it on the first call).</summary>
    public static string? UnavailableReason(string? libraryPath) => Load(libraryPath).Error;

    /// <summary>What was loaded, for the start-up log: <c>librdkafka 2.16.0 (path)</c>, or why nothing was.</summary>
    public static string Describe(string? libraryPath) => Load(libraryPath) switch
    {
        { Error: { } error } => error,
        var loaded => $"librdkafka {loaded.Version} ({loaded.Path})",
    };

    /// <summary>The handle of the loaded library, for callers of its C API (the tests' mock cluster); zero when none.</summary>
    public static IntPtr Handle(string? libraryPath) => Load(libraryPath).Handle;

    private static Loaded Load(string? libraryPath)
    {
        lock (Gate)
        {
            return _loaded ??= Probe(libraryPath);
        }
    }

    private static Loaded Probe(string? libraryPath)
    {
        var candidates = Candidates(libraryPath).ToList();
        if (candidates.Count == 0)
        {
            // Not Linux (a developer's macOS or Windows): Confluent.Kafka finds the redist's build for it by itself.
            return Check(IntPtr.Zero, "the default search");
        }

        var tried = new List<string>();
        var handle = IntPtr.Zero;
        string? path = null;
        foreach (var candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, out handle))
            {
                path = candidate;
                break;
            }

            tried.Add(candidate);
        }

        if (path is null)
        {
            return new Loaded(IntPtr.Zero, null, null,
                $"librdkafka cannot be loaded (tried {string.Join(", ", tried.DefaultIfEmpty("nothing: no Linux build beside the gateway"))})");
        }

        // A resolver that cannot load must throw: returning nothing falls back to the default search, and to the OS's copy.
        DllImportResolver resolver = (name, _, _) =>
            name.Contains("rdkafka", StringComparison.Ordinal) ? handle : IntPtr.Zero;
        NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, resolver);
        return Check(handle, path);
    }

    private static Loaded Check(IntPtr handle, string path)
    {
        try
        {
            return Library.Version > 0
                ? new Loaded(handle, path, Library.VersionString, null)
                : new Loaded(IntPtr.Zero, path, null, $"librdkafka at {path} reported no version");
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or BadImageFormatException or InvalidOperationException)
        {
            return new Loaded(IntPtr.Zero, path, null, $"librdkafka at {path} cannot be used ({(ex.InnerException ?? ex).Message})");
        }
    }

    private static IEnumerable<string> Candidates(string? libraryPath)
    {
        if (libraryPath is not null)
        {
            return [libraryPath];
        }

        var architecture = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "linux-x64",
            Architecture.Arm64 => "linux-arm64",
            _ => null,
        };
        return OperatingSystem.IsLinux() && architecture is not null
            ? RedistBuilds.Select(file => Path.Combine(AppContext.BaseDirectory, "runtimes", architecture, "native", file))
            : [];
    }

    private sealed record Loaded(IntPtr Handle, string? Path, string? Version, string? Error);
}
