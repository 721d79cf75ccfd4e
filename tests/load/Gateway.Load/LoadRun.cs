using Gateway.Testing;

namespace Gateway.Load;

/// <summary>
/// Drives the baseline and the gateway from the same client (wrk) in the same run, alternating phase by phase, and
/// prints the medians with each gateway figure's ratio to the baseline of that run.
/// </summary>
internal static class LoadRun
{
    public const string Baseline = "baseline";

    /// <summary>The type of the ingress events: no subscription matches it, so they cost ingress and dispatch only.</summary>
    private const string IngressType = "io.gateway.load";

    private const int WarmUpSeconds = 3;

    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(LoadOptions options)
    {
        var work = Directory.CreateTempSubdirectory("gateway-load-");
        var single = Path.Combine(work.FullName, "single.lua");
        var batch = Path.Combine(work.FullName, "batch.lua");
        await File.WriteAllTextAsync(single, WrkScripts.Single);
        await File.WriteAllTextAsync(batch, WrkScripts.Batch);
        var baselinePort = LocalServer.FreePort();
        var gatewayPort = LocalServer.FreePort();
        await using var sink = await CountingSink.StartAsync(LocalServer.FreePort());
        using var baselineProcess = ChildProcess.Start(Path.Combine(AppContext.BaseDirectory, "Gateway.Load.dll"), work.FullName,
            "baseline", "--urls", $"http://127.0.0.1:{baselinePort}");
        string[] gatewayArguments =
        [
            "--urls", $"http://127.0.0.1:{gatewayPort}",
            $"--ConnectionStrings:Gateway=Data Source={Path.Combine(work.FullName, "gateway.db")}",
            // The default on a loopback-only listener already; set so the end-to-end sink stays allowed if that changes.
            "--Gateway:Delivery:AllowPrivateSinks=true",
            "--Logging:LogLevel:Default=Warning",
            .. AuthArguments(options.ApiKey),
        ];
        using var gatewayProcess = ChildProcess.Start(Path.Combine(AppContext.BaseDirectory, "Gateway.dll"), work.FullName, gatewayArguments);
        try
        {
            await ChildProcess.WaitReadyAsync(baselinePort);
            await ChildProcess.WaitReadyAsync(gatewayPort);
            // For attaching a profiler by hand (BENCHMARKS.md).
            await Console.Error.WriteLineAsync($"gateway pid {gatewayProcess.Id}, baseline pid {baselineProcess.Id}, sink {sink.Url}");
            await GatewaySetup.CreateNonMatchingAsync(gatewayPort, options.Subscriptions, sink.Url, options.ApiKey);
            if (options.Has(LoadOptions.EndToEnd))
            {
                await GatewaySetup.CreateEndToEndAsync(gatewayPort, sink.Url, options.ApiKey);
            }

            var baseline = new ProcessProbe(baselineProcess);
            var gateway = new ProcessProbe(gatewayProcess);
            var results = new Dictionary<string, List<PhaseResult>>(StringComparer.Ordinal);
            // Not counted: the first seconds run code the JIT has not optimised yet, which would penalise run 1.
            await Console.Error.WriteLineAsync($"{DateTime.Now:HH:mm:ss} warm-up");
            var warmUp = options with { DurationSeconds = WarmUpSeconds };
            await Wrk.RunAsync(baselinePort, single, warmUp, "warm-", IngressType);
            await Wrk.RunAsync(gatewayPort, single, warmUp, "warm-", IngressType);
            for (var run = 1; run <= options.Runs; run++)
            {
                Add(results, Baseline, await MeasureAsync(run, Baseline, baselinePort, baseline, single, 1, options, IngressType));
                if (options.Has(LoadOptions.Ingress))
                {
                    Add(results, LoadOptions.Ingress, await MeasureAsync(run, LoadOptions.Ingress, gatewayPort, gateway, single, 1, options, IngressType));
                }

                if (options.Has(LoadOptions.Batch))
                {
                    Add(results, LoadOptions.Batch, await MeasureAsync(
                        run, LoadOptions.Batch, gatewayPort, gateway, batch, options.BatchSize, options, options.BatchSize.ToString()));
                }

                if (options.Has(LoadOptions.EndToEnd))
                {
                    Progress(run, LoadOptions.EndToEnd);
                    Add(results, LoadOptions.EndToEnd, await EndToEnd.RunAsync(gatewayPort, gateway, sink, single, $"r{run}-e2e-", options));
                }
            }

            Report.Print(options, results, baseline.PeakIsPerPhase && gateway.PeakIsPerPhase);
            return Report.Failed(results) ? 1 : 0;
        }
        finally
        {
            baselineProcess.Kill(entireProcessTree: true);
            gatewayProcess.Kill(entireProcessTree: true);
            // The store goes with the run; a folder left behind by a process still closing is not worth a failure.
            gatewayProcess.WaitForExit(5000);
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<PhaseResult> MeasureAsync(
        int run, string phase, int port, ProcessProbe probe, string script, int eventsPerRequest, LoadOptions options, string scriptArg)
    {
        Progress(run, phase);
        probe.Begin();
        var wrk = await Wrk.RunAsync(port, script, options, $"r{run}-{phase}-", scriptArg);
        // The gateway's cost of an event includes dispatching it, which may go on after wrk stopped.
        var busy = phase == Baseline ? TimeSpan.Zero : await probe.WaitIdleAsync(SettleLimit);
        var (cpu, peak) = probe.End();
        var events = Math.Max(1, wrk.Requests * eventsPerRequest);
        return new PhaseResult(wrk.RequestsPerSecond * eventsPerRequest, wrk, cpu.TotalMicroseconds / events, peak, busy.TotalSeconds);
    }

    /// <summary>With a key: the gateway's one API key, its SHA-256 configured as an operator's would be.</summary>
    private static string[] AuthArguments(string? apiKey) => apiKey is null
        ? []
        :
        [
            $"--Gateway:Auth:ApiKeys:load:Sha256={Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(apiKey)))}",
            "--Gateway:Auth:ApiKeys:load:Scopes=admin events:write",
        ];

    private static void Progress(int run, string phase) =>
        Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} run {run}: {phase}");

    private static void Add(Dictionary<string, List<PhaseResult>> results, string phase, PhaseResult result)
    {
        if (!results.TryGetValue(phase, out var list))
        {
            results[phase] = list = [];
        }

        list.Add(result);
    }
}
