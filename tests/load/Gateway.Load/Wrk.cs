using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Gateway.Load;

/// <summary>One wrk run against one target, and what it printed.</summary>
internal static partial class Wrk
{
    /// <summary>
    /// Runs <c>wrk -t1</c>; <paramref name="scriptArgs"/> reach the script's <c>init(args)</c>, followed by the API
    /// key when there is one (the scripts send it as <c>X-Api-Key</c>, to the baseline as well, so both requests are
    /// the same size).
    /// </summary>
    public static async Task<WrkResult> RunAsync(int port, string script, LoadOptions options, params string[] scriptArgs)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, UseShellExecute = false };
        string[] args =
        [
            "-t1", $"-c{options.Connections}", $"-d{options.DurationSeconds}s", "--latency", "-s", script, $"http://127.0.0.1:{port}",
            "--", .. scriptArgs, .. (options.ApiKey is null ? Array.Empty<string>() : [options.ApiKey]),
        ];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start (apt-get install wrk)");
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var requests = long.Parse(Requests().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var p99 = P99().Match(output).Groups[1].Value;
        var errors = NonSuccess().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var socket = SocketErrors().Match(output) is { Success: true } s
            ? s.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture))
            : 0;
        return new WrkResult(rps, requests, p99, errors, socket);
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Requests();

    [GeneratedRegex(@"\s99%\s+(\S+)")]
    private static partial Regex P99();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();
}

/// <summary>What one wrk run printed: completed requests, the non-2xx answers among them, and socket errors.</summary>
internal sealed record WrkResult(double RequestsPerSecond, long Requests, string P99, long Errors, long SocketErrors);
