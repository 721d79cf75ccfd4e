using System.Diagnostics;
using System.Globalization;
using System.Net;
using Gateway.Testing;

namespace Gateway.SpecConformance.Infrastructure;

/// <summary>
/// A real gateway: the built <c>Gateway.dll</c> in its own process on a free loopback port, with its own SQLite
/// file. Tests talk to it over HTTP only.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private const int StartAttempts = 5;

    private readonly Process _process;
    private readonly StringWriter _output = new();

    private GatewayProcess(Process process, Uri baseAddress, string dataDirectory, IReadOnlyDictionary<string, string> settings)
    {
        _process = process;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        Settings = settings;
    }

    public Uri BaseAddress { get; }

    /// <summary>The configuration given on the command line, beyond the defaults every test gateway gets.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    public string DataDirectory { get; }

    /// <summary>What the gateway printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts a gateway and waits until <c>/healthz</c> answers 200; on a new port when another process took the
    /// chosen one before the gateway bound it.
    /// </summary>
    public static async Task<GatewayProcess> StartAsync(
        string? dataDirectory = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        dataDirectory ??= Directory.CreateTempSubdirectory("gateway-conformance-").FullName;
        for (var attempt = 1; ; attempt++)
        {
            var gateway = Start(LocalServer.FreePort(), dataDirectory, settings ?? new Dictionary<string, string>());
            try
            {
                await gateway.WaitUntilReadyAsync();
                return gateway;
            }
            catch (InvalidOperationException) when (attempt < StartAttempts && gateway.Output.Contains("address already in use", StringComparison.Ordinal))
            {
                await gateway.DisposeAsync();
            }
        }
    }

    private static GatewayProcess Start(int port, string dataDirectory, IReadOnlyDictionary<string, string> settings)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gateway.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        start.ArgumentList.Add($"--ConnectionStrings:Gateway=Data Source={Path.Combine(dataDirectory, "gateway.db")}");
        start.ArgumentList.Add("--Gateway:Webhook:Origin=conformance.gateway.test");
        start.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var gateway = new GatewayProcess(process, baseAddress, dataDirectory, settings);
        process.OutputDataReceived += (_, e) => gateway.Append(e.Data);
        process.ErrorDataReceived += (_, e) => gateway.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return gateway;
    }

    /// <summary>
    /// Runs a gateway that must stop by itself, as one refused by its configuration does: its exit code and all it
    /// printed. Fails after a minute.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory.CreateTempSubdirectory("gateway-refused-").FullName,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gateway.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, error + await output);
    }

    /// <summary>Stops the gateway as an operator would (SIGTERM) and waits until it has shut down.</summary>
    public async Task StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Ends the process the hard way (SIGKILL), as a crash would.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the gateway exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync("healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the gateway did not become ready:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.WriteLine(line);
            }
        }
    }
}
