using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Gateway.SpecConformance.Infrastructure;

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
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var directory = Directory.CreateTempSubdirectory("mosquitto-").FullName;
        var config = Path.Combine(directory, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"listener {port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1\nallow_anonymous true\npersistence false\n");
        var broker = new MosquittoProcess(port, config);
        await broker.RestartAsync();
        return broker;
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        var binary = File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto";
        var start = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(_config);
        _process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start (apt-get install mosquitto)");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException("mosquitto did not listen");
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
