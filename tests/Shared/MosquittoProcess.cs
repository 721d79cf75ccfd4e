using System.Diagnostics;
using System.Globalization;

namespace Gateway.Testing;

/// <summary>A real Mosquitto broker (Debian's package) on a free loopback port, that can be restarted.</summary>
public sealed class MosquittoProcess : IAsyncDisposable
{
    private readonly string _config;
    private Process? _process;

    private MosquittoProcess(int port, string config, Process process)
    {
        Port = port;
        _config = config;
        _process = process;
    }

    public int Port { get; }

    public string Url => $"mqtt://127.0.0.1:{Port}";

    /// <summary>Starts a broker; <paramref name="moreConfig"/> adds lines (more listeners) to its configuration.</summary>
    public static async Task<MosquittoProcess> StartAsync(IEnumerable<string>? moreConfig = null)
    {
        var directory = Directory.CreateTempSubdirectory("mosquitto-").FullName;
        var config = Path.Combine(directory, "mosquitto.conf");
        var (process, port) = await LocalServer.StartOnFreePortAsync("mosquitto", port =>
        {
            // Persistent sessions survive a restart, as on a production broker: saved after every change, because
            // the tests kill the broker hard (a graceful stop would save them anyway).
            string[] lines =
            [
                $"listener {port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1",
                "allow_anonymous true",
                "persistence true",
                $"persistence_location {directory}/",
                "autosave_on_changes true",
                "autosave_interval 1",
                .. moreConfig ?? [],
                "",
            ];
            File.WriteAllText(config, string.Join('\n', lines));
            return ["-c", config];
        });
        return new MosquittoProcess(port, config, process);
    }

    /// <summary>
    /// Stops the broker as an operator would (SIGTERM): it saves its sessions first, so a persistent session and its
    /// subscriptions are back after the restart whatever the autosave had written.
    /// </summary>
    public async Task StopGracefullyAsync()
    {
        if (_process is { HasExited: false } process)
        {
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        await StopAsync();
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
