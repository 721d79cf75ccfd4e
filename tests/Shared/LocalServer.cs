using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Gateway.Testing;

/// <summary>Free loopback ports, and server processes (Debian's brokers) started on them.</summary>
internal static class LocalServer
{
    // Below Linux's ephemeral range (32768 and up): a port the kernel hands out for port 0 can be taken again at
    // any moment by an outbound connection's local end, and a broker's port must stay free while it is restarted.
    private const int FirstPort = 20000;
    private const int PortCount = 12768;
    private const int StartAttempts = 5;

    private static readonly ConcurrentDictionary<int, bool> HandedOut = new();

    /// <summary>
    /// A loopback port nothing listens on now and that this process has not handed out before. Another process can
    /// still take it before the caller binds it, so starting a server on it is retried (<see cref="StartAsync"/>).
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            var port = FirstPort + Random.Shared.Next(PortCount);
            if (HandedOut.TryAdd(port, true) && IsFree(port))
            {
                return port;
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="binary"/> (from /usr/sbin when it is there) on a port chosen here, retrying on a new
    /// port when the server exits before it listens (another process took the port), and returns it once it
    /// accepts connections there.
    /// </summary>
    public static async Task<(Process Process, int Port)> StartOnFreePortAsync(string binary, Func<int, IEnumerable<string>> arguments)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            try
            {
                return (await StartAsync(binary, port, arguments(port)), port);
            }
            catch (ServerExitedException) when (attempt < StartAttempts)
            {
                // Most likely the port was taken between choosing and binding it; draw another.
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="binary"/> (from /usr/sbin when it is there) and waits until it accepts connections on
    /// <paramref name="port"/>. Throws <see cref="ServerExitedException"/> when it exits first.
    /// </summary>
    public static async Task<Process> StartAsync(string binary, int port, IEnumerable<string> arguments)
    {
        var path = File.Exists($"/usr/sbin/{binary}") ? $"/usr/sbin/{binary}" : binary;
        var start = new ProcessStartInfo(path) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start (apt-get install {binary})");
        var output = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            // Checked before the probe: a connection accepted by some other listener on the port is not our server.
            if (process.HasExited)
            {
                await process.WaitForExitAsync();
                var exitCode = process.ExitCode;
                process.Dispose();
                throw new ServerExitedException($"{binary} exited with {exitCode} before listening on port {port}:\n{string.Join('\n', output)}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return process;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        process.Kill();
        throw new TimeoutException($"{binary} did not listen on port {port}:\n{string.Join('\n', output)}");
    }

    /// <summary>Kills a server hard and waits for it.</summary>
    public static async Task StopAsync(Process? process)
    {
        if (process is { HasExited: false })
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process?.Dispose();
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static void Keep(ConcurrentQueue<string> output, string? line)
    {
        // The last lines are enough to say why a server did not start.
        if (line is not null)
        {
            output.Enqueue(line);
            while (output.Count > 50 && output.TryDequeue(out _))
            {
            }
        }
    }
}

/// <summary>A server process ended before it listened.</summary>
internal sealed class ServerExitedException(string message) : Exception(message);
