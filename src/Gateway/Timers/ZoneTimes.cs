namespace Gateway.Timers;

/// <summary>
/// Maps a wall-clock time of a time zone to the instant a timer fires for it, across daylight-saving changes:
/// <list type="bullet">
/// <item>a time the clock skips (02:30 on the night it jumps from 02:00 to 03:00) fires at the instant of the jump,
/// so every skipped time of a night fires there, once;</item>
/// <item>a time the clock shows twice (02:30 on the night it falls back from 03:00 to 02:00) fires once, the first
/// time, so an expression that fires every few minutes pauses for the repeated hour.</item>
/// </list>
/// Both keep the mapping in order: a later wall-clock time never fires before an earlier one.
/// </summary>
internal static class ZoneTimes
{
    /// <summary>No zone is further from UTC than this (UTC−12 to UTC+14), which bounds the search for a jump.</summary>
    private static readonly TimeSpan MaxOffset = TimeSpan.FromHours(14);

    public static DateTimeOffset ToInstant(DateTime wall, TimeZoneInfo zone)
    {
        if (zone.IsInvalidTime(wall))
        {
            return JumpOver(wall, zone);
        }

        return zone.IsAmbiguousTime(wall)
            ? new DateTimeOffset(wall, zone.GetAmbiguousTimeOffsets(wall).Max())
            : new DateTimeOffset(wall, zone.GetUtcOffset(wall));
    }

    /// <summary>
    /// The instant the clock jumped over <paramref name="wall"/>: the first whole second whose wall-clock time is
    /// later, found by bisection between two instants that certainly lie before and after it.
    /// </summary>
    private static DateTimeOffset JumpOver(DateTime wall, TimeZoneInfo zone)
    {
        var before = new DateTimeOffset(wall.Ticks, TimeSpan.Zero) - MaxOffset;
        var after = new DateTimeOffset(wall.Ticks, TimeSpan.Zero) + MaxOffset;
        while (after - before > TimeSpan.FromSeconds(1))
        {
            var middle = before + TimeSpan.FromSeconds(Math.Floor((after - before).TotalSeconds / 2));
            if (TimeZoneInfo.ConvertTime(middle, zone).DateTime > wall)
            {
                after = middle;
            }
            else
            {
                before = middle;
            }
        }

        return after;
    }
}
