namespace Gateway.Load;

/// <summary>
/// One phase of one run: the rate (requests/s for the baseline, events/s for the gateway), the wrk run behind it,
/// the target's CPU time per event and its peak resident memory (both until it went idle after wrk), how long it
/// stayed busy after wrk, and for end to end the drain.
/// </summary>
internal sealed record PhaseResult(
    double Rate, WrkResult Wrk, double CpuMicrosPerEvent, double PeakMegabytes, double BusyAfterSeconds = 0, Drain? Drain = null);

/// <summary>
/// End to end: the events the gateway accepted, those the sink got (in all, and while wrk ran), and how long after
/// wrk the last came. The two rates tell first attempts straight from the queue from the backlog the gateway parked
/// in its retry store.
/// </summary>
internal sealed record Drain(long Accepted, long Delivered, long DeliveredDuringWrk, double WrkSeconds, double SecondsAfterWrk)
{
    public bool Complete => Delivered >= Accepted;
}
