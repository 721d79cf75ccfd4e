using System.Diagnostics;
using System.Globalization;

namespace Gateway.Load;

/// <summary>
/// CPU time and peak resident memory of one child process over one phase. The peak is <c>VmHWM</c>; writing 5 to
/// <c>clear_refs</c> resets it (Linux 4.0+), so each phase reports its own peak rather than the process's lifetime one.
/// </summary>
internal sealed class ProcessProbe(Process process)
{
    private TimeSpan _cpuAtStart;

    public int Id => process.Id;

    /// <summary>False when the kernel refused the reset: the peak then covers the process's whole life.</summary>
    public bool PeakIsPerPhase { get; private set; } = true;

    public void Begin()
    {
        try
        {
            File.WriteAllText($"/proc/{process.Id}/clear_refs", "5");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            PeakIsPerPhase = false;
        }

        process.Refresh();
        _cpuAtStart = process.TotalProcessorTime;
    }

    public (TimeSpan Cpu, double PeakMegabytes) End()
    {
        process.Refresh();
        return (process.TotalProcessorTime - _cpuAtStart, PeakMegabytes());
    }

    /// <summary>
    /// Waits until the process has used under 5% of a core for half a second, at most <paramref name="limit"/>, and
    /// returns how long that took. After wrk stops, the gateway may still be dispatching what it accepted; the next
    /// phase must not start (nor be measured) on top of that.
    /// </summary>
    public async Task<TimeSpan> WaitIdleAsync(TimeSpan limit)
    {
        var window = TimeSpan.FromMilliseconds(500);
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < limit)
        {
            process.Refresh();
            var before = process.TotalProcessorTime;
            await Task.Delay(window);
            process.Refresh();
            if (process.TotalProcessorTime - before < window * 0.05)
            {
                break;
            }
        }

        return Stopwatch.GetElapsedTime(started);
    }

    private double PeakMegabytes()
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kilobytes = long.Parse(line["VmHWM:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
                return kilobytes / 1024.0;
            }
        }

        return double.NaN;
    }
}
