using System.Diagnostics;
using System.Globalization;

namespace Gateway.Testing;

/// <summary>A real nats-server (Debian's package) on a free loopback port, with JetStream, that can be restarted.</summary>
public sealed class NatsServerProcess : IAsyncDisposable
{
    private readonly string[] _extraArguments;
    private Process? _process;

    private NatsServerProcess(int port, string storeDirectory, string[] extraArguments, Process process)
    {
        Port = port;
        StoreDirectory = storeDirectory;
        _extraArguments = extraArguments;
        _process = process;
    }

    public int Port { get; }

    public string StoreDirectory { get; }

    public string Url => $"nats://127.0.0.1:{Port}";

    public static async Task<NatsServerProcess> StartAsync(params string[] extraArguments)
    {
        var storeDirectory = Directory.CreateTempSubdirectory("nats-").FullName;
        var (process, port) = await LocalServer.StartOnFreePortAsync(
            "nats-server", port => Arguments(port, storeDirectory, extraArguments));
        return new NatsServerProcess(port, storeDirectory, extraArguments, process);
    }

    /// <summary>Kills the server hard.</summary>
    public async Task StopAsync()
    {
        await LocalServer.StopAsync(_process);
        _process = null;
    }

    /// <summary>Starts the server (again) on the same port and store, and waits until it accepts connections.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        _process = await LocalServer.StartAsync("nats-server", Port, Arguments(Port, StoreDirectory, _extraArguments));
    }

    private static string[] Arguments(int port, string storeDirectory, string[] extraArguments) =>
        ["-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-js", "-sd", storeDirectory, .. extraArguments];

    public async ValueTask DisposeAsync() => await StopAsync();
}
