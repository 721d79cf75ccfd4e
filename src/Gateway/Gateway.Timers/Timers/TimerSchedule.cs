namespace Gateway.Timers;

/// <summary>
/// When one timer fires: for <c>interval</c>, every interval from <c>startdate</c>, or, without one, from the whole
/// second at which this node started the timer (a new subscription, an update, a restart, a takeover); for
/// <c>cron</c>, at the expression's times. Never before <c>startdate</c>, never at or after <c>stopdate</c>.
/// </summary>
internal sealed class TimerSchedule(TimerConfig config, DateTimeOffset started)
{
    private readonly DateTimeOffset _anchor = config.Start
        ?? new DateTimeOffset(started.UtcTicks - (started.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    /// <summary>The first fire time strictly after <paramref name="after"/>, or null when the timer has no more.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after)
    {
        var next = config.Cron is { } cron ? NextCron(cron, after) : NextInterval(config.Interval!.Value, after);
        return next is { } time && (config.Stop is not { } stop || time < stop) ? time : null;
    }

    private DateTimeOffset? NextCron(VixieCronExpression cron, DateTimeOffset after)
    {
        // Fire times are whole seconds, so one tick before startdate lets startdate itself fire.
        var from = config.Start is { } start && start > after ? start.AddTicks(-1) : after;
        return cron.NextAfter(from, config.Zone);
    }

    private DateTimeOffset? NextInterval(TimeSpan interval, DateTimeOffset after)
    {
        var steps = after < _anchor ? 0 : ((after - _anchor).Ticks / interval.Ticks) + 1;
        var ticks = _anchor.UtcTicks + (decimal)steps * interval.Ticks;
        return ticks <= DateTimeOffset.MaxValue.UtcTicks ? new DateTimeOffset((long)ticks, TimeSpan.Zero) : null;
    }
}
