using System.Diagnostics;

namespace Gateway.Load;

/// <summary>
/// Delivered events/s to one fast HTTP sink: wrk drives ingress for the duration, then the tool waits until the
/// sink has every accepted event (bounded), and divides what the sink got by the time from wrk's start to the last
/// delivery. Ingress and delivery share the machine, as they do in production.
/// </summary>
internal static class EndToEnd
{
    public const string EventType = "io.gateway.load.e2e";

    /// <summary>Set on the subscription so that concurrency towards the sink is not what limits delivery.</summary>
    public const int MaxInFlight = 64;

    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(60);

    /// <summary>
    /// wrk does not count the requests it cuts off at its end, yet the gateway may have accepted them; so after the
    /// sink has the counted ones the tool waits for this long a silence before it takes the count.
    /// </summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    public static async Task<PhaseResult> RunAsync(
        int port, ProcessProbe gateway, CountingSink sink, string script, string idPrefix, LoadOptions options)
    {
        sink.Reset();
        gateway.Begin();
        var start = Stopwatch.GetTimestamp();
        var wrk = await Wrk.RunAsync(port, script, options, idPrefix, EventType);
        var wrkEnd = Stopwatch.GetTimestamp();
        var duringWrk = sink.Count;
        var accepted = wrk.Requests - wrk.Errors;
        while (Stopwatch.GetElapsedTime(wrkEnd) < DrainLimit
            && (sink.Count < accepted || Stopwatch.GetElapsedTime(sink.LastDelivery) < Quiet))
        {
            await Task.Delay(20);
        }

        var busy = await gateway.WaitIdleAsync(DrainLimit);
        var (cpu, peak) = gateway.End();
        var delivered = sink.Count;
        var last = sink.LastDelivery;
        var seconds = delivered == 0 ? double.NaN : Stopwatch.GetElapsedTime(start, last).TotalSeconds;
        var afterWrk = delivered == 0 ? double.NaN : Math.Max(0, Stopwatch.GetElapsedTime(wrkEnd, last).TotalSeconds);
        var drain = new Drain(accepted, delivered, duringWrk, Stopwatch.GetElapsedTime(start, wrkEnd).TotalSeconds, afterWrk);
        var perEvent = cpu.TotalMicroseconds / Math.Max(1, delivered);
        return new PhaseResult(delivered / seconds, wrk, perEvent, peak, busy.TotalSeconds, drain);
    }
}
