using System.Diagnostics;
using System.Globalization;

namespace Gateway.Testing;

/// <summary>A real Mosquitto broker (Debian's package) on a free loopback port, that can be restarted.</summary>
public sealed class MosquittoProcess : IAsyncDisposable
{
    private readonly string _config;
    private Process? _process;

    private MosquittoProcess(int port, string config)
    {
        Port = port;
        _config = config;
    }

    public int Port { get; }

    public string Url => $"mqtt://127.0.0.1:{Port}";

    public static async Task<MosquittoProcess> StartAsync()
    {
        var port = LocalServer.FreePort();
        var config = Path.Combine(Directory.CreateTempSubdirectory("mosquitto-").FullName, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"listener {port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1\nallow_anonymous true\npersistence false\n");
        var broker = new MosquittoProcess(port, config);
        await broker.RestartAsync();
        return broker;
    }

    /// <summary>Kills the broker hard.</summary>
    public async Task StopAsync()
    {
        await LocalServer.StopAsync(_process);
        _process = null;
    }

    /// <summary>Starts the broker (again) on the same port and waits until it accepts connections.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        _process = await LocalServer.StartAsync("mosquitto", Port, ["-c", _config]);
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
