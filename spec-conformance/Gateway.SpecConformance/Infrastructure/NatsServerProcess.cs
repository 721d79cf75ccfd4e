using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Gateway.SpecConformance.Infrastructure;

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
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var server = new NatsServerProcess(port, Directory.CreateTempSubdirectory("nats-").FullName, extraArguments);
        await server.RestartAsync();
        return server;
    }

    /// <summary>Kills the server hard.</summary>
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

    /// <summary>Starts the server (again) on the same port and store, and waits until it accepts connections.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        var binary = File.Exists("/usr/sbin/nats-server") ? "/usr/sbin/nats-server" : "nats-server";
        var start = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-js", "-sd", StoreDirectory }.Concat(_extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("nats-server did not start (apt-get install nats-server)");
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

        throw new TimeoutException("nats-server did not listen");
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
