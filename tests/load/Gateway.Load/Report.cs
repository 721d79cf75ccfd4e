namespace Gateway.Load;

/// <summary>Prints the medians of the runs, each gateway figure with its ratio to the baseline's req/s.</summary>
internal static class Report
{
    public static void Print(LoadOptions options, IReadOnlyDictionary<string, List<PhaseResult>> results, bool peaksPerPhase)
    {
        var b = Median(results[LoadRun.Baseline]);
        var subscriptions = $"{options.Subscriptions} subscriptions that match nothing"
            + (options.Has(LoadOptions.EndToEnd) ? $" + 1 for the e2e events only (HTTP sink in this tool, delivery.maxinflight {EndToEnd.MaxInFlight})" : string.Empty);
        Console.WriteLine($"wrk -t1 -c{options.Connections} -d{options.DurationSeconds}s, median of {options.Runs} runs, {subscriptions}");
        Console.WriteLine($"cpu = the target's CPU time per event; peak = its VmHWM during the phase{(peaksPerPhase ? string.Empty : " (could not reset: since the process started)")}, highest of the runs");
        Line("baseline (bare ASP.NET Core, 202)", b.Rate, "req/s", b.Wrk.P99, 1, b, Peak(results[LoadRun.Baseline]));
        if (results.TryGetValue(LoadOptions.Ingress, out var ingress))
        {
            var g = Median(ingress);
            Line("gateway ingress (durable, 202)", g.Rate, "req/s", g.Wrk.P99, g.Rate / b.Rate, g, Peak(ingress));
            Console.WriteLine($"  {BusyAfter(g)}");
        }

        if (results.TryGetValue(LoadOptions.Batch, out var batch))
        {
            var g = Median(batch);
            Line($"gateway batched ingress ({options.BatchSize}/request)", g.Rate, "events/s", g.Wrk.P99, g.Rate / b.Rate, g, Peak(batch));
            Console.WriteLine($"  = {g.Wrk.RequestsPerSecond:F0} req/s of {options.BatchSize} events each; {BusyAfter(g)}");
        }

        if (results.TryGetValue(LoadOptions.EndToEnd, out var e2e))
        {
            var g = Median(e2e);
            var drain = g.Drain!;
            Line("gateway end to end (1 HTTP sink)", g.Rate, "events/s", "-", g.Rate / b.Rate, g, Peak(e2e));
            var after = drain.SecondsAfterWrk > 0
                ? $"{(drain.Delivered - drain.DeliveredDuringWrk) / drain.SecondsAfterWrk:F0} events/s after it"
                : "nothing left after it";
            Console.WriteLine($"  delivered {drain.Delivered} of {drain.Accepted} accepted, the last {drain.SecondsAfterWrk:F1} s after wrk ended");
            Console.WriteLine($"  ingress meanwhile {g.Wrk.RequestsPerSecond:F0} req/s, p99 {g.Wrk.P99}; "
                + $"the sink got {drain.DeliveredDuringWrk / drain.WrkSeconds:F0} events/s while wrk ran, {after}");
        }

        // Each run's ratio to the baseline of that run: how far apart they are shows how noisy the machine was.
        Console.WriteLine("ratio in each run: " + string.Join("; ", results.Where(r => r.Key != LoadRun.Baseline).Select(
            r => $"{r.Key} {string.Join(' ', r.Value.Select((x, i) => (x.Rate / results[LoadRun.Baseline][i].Rate).ToString("F2")))}")));
        Console.WriteLine("non-2xx answers / socket errors: " + string.Join(", ", results.Select(
            r => $"{r.Key} {r.Value.Sum(x => x.Wrk.Errors)} / {r.Value.Sum(x => x.Wrk.SocketErrors)}")));
        foreach (var incomplete in results.GetValueOrDefault(LoadOptions.EndToEnd, []).Where(r => !r.Drain!.Complete))
        {
            Console.WriteLine($"INCOMPLETE: the sink got {incomplete.Drain!.Delivered} of {incomplete.Drain.Accepted} accepted events within the drain limit");
        }
    }

    /// <summary>A gateway phase with non-2xx answers, or an end-to-end run whose sink did not get every event.</summary>
    public static bool Failed(IReadOnlyDictionary<string, List<PhaseResult>> results) =>
        results.Where(r => r.Key != LoadRun.Baseline).SelectMany(r => r.Value)
            .Any(r => r.Wrk.Errors > 0 || r.Drain is { Complete: false });

    private static void Line(string label, double rate, string unit, string p99, double ratio, PhaseResult median, double peak) =>
        Console.WriteLine($"{label,-44}{rate,10:F0} {unit,-9} p99 {p99,-8} ratio {ratio:F2}   cpu {median.CpuMicrosPerEvent,5:F0} µs/event   peak {peak,4:F0} MB");

    /// <summary>A gateway still busy long after wrk stopped was accepting faster than it dispatches.</summary>
    private static string BusyAfter(PhaseResult result) =>
        $"the gateway went idle {result.BusyAfterSeconds:F1} s after wrk (dispatching what it had accepted)";

    private static PhaseResult Median(List<PhaseResult> runs) =>
        runs.OrderBy(r => r.Rate).ElementAt(runs.Count / 2);

    private static double Peak(List<PhaseResult> runs) => runs.Max(r => r.PeakMegabytes);
}
