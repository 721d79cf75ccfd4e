using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Gateway.Load;

/// <summary>
/// Drives the baseline and the gateway with the same single-event CloudEvents POSTs (each with its own id) from the
/// same client (wrk) in the same run, alternating, and prints the medians and the gateway's ratio to the baseline.
/// </summary>
internal static partial class LoadRun
{
    public static async Task<int> RunAsync(LoadOptions options)
    {
        var work = Directory.CreateTempSubdirectory("gateway-load-");
        var script = Path.Combine(work.FullName, "events.lua");
        await File.WriteAllTextAsync(script, WrkScript);
        var baselinePort = FreePort();
        var gatewayPort = FreePort();
        using var baseline = Start(Path.Combine(AppContext.BaseDirectory, "Gateway.Load.dll"), work.FullName,
            "baseline", "--urls", $"http://127.0.0.1:{baselinePort}");
        using var gateway = Start(Path.Combine(AppContext.BaseDirectory, "Gateway.dll"), work.FullName,
            "--urls", $"http://127.0.0.1:{gatewayPort}",
            $"--ConnectionStrings:Gateway=Data Source={Path.Combine(work.FullName, "gateway.db")}",
            "--Gateway:Webhook:ValidateSinks=off", "--Logging:LogLevel:Default=Warning");
        try
        {
            await WaitReadyAsync(baselinePort);
            await WaitReadyAsync(gatewayPort);
            await CreateSubscriptionsAsync(gatewayPort, options.Subscriptions);
            var baselineRuns = new List<WrkResult>();
            var gatewayRuns = new List<WrkResult>();
            for (var run = 0; run < options.Runs; run++)
            {
                baselineRuns.Add(await WrkAsync(baselinePort, script, options));
                gatewayRuns.Add(await WrkAsync(gatewayPort, script, options));
            }

            var b = Median(baselineRuns);
            var g = Median(gatewayRuns);
            Console.WriteLine($"wrk -t1 -c{options.Connections} -d{options.DurationSeconds}s, median of {options.Runs} runs, {options.Subscriptions} subscriptions (none matching)");
            Console.WriteLine($"baseline (bare ASP.NET Core, 202)   {b.RequestsPerSecond,10:F0} req/s   p99 {b.P99}");
            Console.WriteLine($"gateway ingress (durable, 202)      {g.RequestsPerSecond,10:F0} req/s   p99 {g.P99}   ratio {g.RequestsPerSecond / b.RequestsPerSecond:F2}");
            Console.WriteLine($"non-202 answers: baseline {baselineRuns.Sum(r => r.Errors)}, gateway {gatewayRuns.Sum(r => r.Errors)}");
            return gatewayRuns.Sum(r => r.Errors) == 0 ? 0 : 1;
        }
        finally
        {
            baseline.Kill(entireProcessTree: true);
            gateway.Kill(entireProcessTree: true);
        }
    }

    private const string WrkScript = """
        local counter = 0
        local threads = 0
        function setup(thread)
          thread:set("tid", threads)
          threads = threads + 1
        end
        function request()
          counter = counter + 1
          return wrk.format("POST", "/events", {
            ["ce-specversion"] = "1.0",
            ["ce-id"] = tid .. "-" .. counter,
            ["ce-source"] = "/load",
            ["ce-type"] = "io.gateway.load",
            ["Content-Type"] = "application/json",
          }, '{"order":12345,"customer":"c-42","items":[{"sku":"a1","qty":2},{"sku":"b7","qty":1}],"total":31.5}')
        end
        """;

    private static WrkResult Median(List<WrkResult> runs) =>
        runs.OrderBy(r => r.RequestsPerSecond).ElementAt(runs.Count / 2);

    private static async Task<WrkResult> WrkAsync(int port, string script, LoadOptions options)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-t1", $"-c{options.Connections}", $"-d{options.DurationSeconds}s", "--latency", "-s", script, $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(arg);
        }

        using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start (apt-get install wrk)");
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var p99 = P99().Match(output).Groups[1].Value;
        var errors = NonSuccess().Match(output) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        return new WrkResult(rps, p99, errors);
    }

    private static async Task CreateSubscriptionsAsync(int port, int count)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        for (var i = 0; i < count; i++)
        {
            var body = $$"""{"protocol":"HTTP","sink":"http://127.0.0.1:9/never","types":["io.gateway.load.other{{i}}"],"filters":[{"prefix":{"subject":"x"} } ]}""";
            using var response = await client.PostAsync("subscriptions", new StringContent(body, Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
        }
    }

    private static Process Start(string dll, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"{dll} did not start");
    }

    private static async Task WaitReadyAsync(int port)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 300; i++)
        {
            try
            {
                using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not up yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"nothing became ready on port {port}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"\s99%\s+(\S+)")]
    private static partial Regex P99();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();

    private sealed record WrkResult(double RequestsPerSecond, string P99, int Errors);
}
