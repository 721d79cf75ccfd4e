using System.Diagnostics;
using System.Globalization;

namespace Gateway.Testing;

/// <summary>A real nats-server (Debian's package) on a free loopback port, with JetStream, that can be restarted.</summary>
public sealed class NatsServerProcess : IAsyncDisposable
{
    private readonly string[] _extraArguments;
    private Process? _process;

    private NatsServerProcess(int port, string storeDirectory, string[] extraArguments)
    {
        Port = port;
        StoreDirectory = storeDirectory;
        _extraArguments = extraArguments;
    }

    public int Port { get; }

    public string StoreDirectory { get; }

    public string Url => $"nats://127.0.0.1:{Port}";

    public static async Task<NatsServerProcess> StartAsync(params string[] extraArguments)
    {
        var server = new NatsServerProcess(LocalServer.FreePort(), Directory.CreateTempSubdirectory("nats-").FullName, extraArguments);
        await server.RestartAsync();
        return server;
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
        _process = await LocalServer.StartAsync(
            "nats-server",
            Port,
            ["-a", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-js", "-sd", StoreDirectory, .. _extraArguments]);
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
