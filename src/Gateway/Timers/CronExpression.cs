namespace Gateway.Timers;

/// <summary>
/// A cron expression: five fields <c>minute hour day-of-month month day-of-week</c> (firing at second 0), or six
/// with a leading <c>second</c>, as the OpenWhisk alarms feed accepts (spec/openwhisk.md). Each field takes
/// <c>*</c>, lists, ranges, steps and, for months and weekdays, names. When both day of month and day of week are
/// restricted (neither written starting with <c>*</c>) a day matches either, as in Vixie cron; otherwise both must.
/// </summary>
internal sealed class CronExpression
{
    /// <summary>
    /// How far ahead a fire time is looked for: an expression that passed <see cref="Parse"/> fires within it. The
    /// rarest are a weekday on a date (<c>0 0 */31 2 MON</c>: February 1 on a Monday, 2027 then 2038) and February 29
    /// (2096 then 2104); weekdays and dates repeat every 28 years.
    /// </summary>
    private const int HorizonYears = 28;

    private readonly CronField _seconds;
    private readonly CronField _minutes;
    private readonly CronField _hours;
    private readonly CronField _daysOfMonth;
    private readonly CronField _months;
    private readonly CronField _daysOfWeek;

    private CronExpression(CronField[] fields)
    {
        (_seconds, _minutes, _hours, _daysOfMonth, _months, _daysOfWeek) =
            (fields[0], fields[1], fields[2], fields[3], fields[4], fields[5]);
    }

    /// <summary>Parses an expression, or returns null with what is wrong in <paramref name="error"/>.</summary>
    public static CronExpression? Parse(string text, out string? error)
    {
        var parts = text.Split(' ', '\t').Where(p => p.Length > 0).ToList();
        if (parts.Count == 5)
        {
            parts.Insert(0, "0");
        }
        else if (parts.Count != 6)
        {
            error = "must have five fields (minute hour day-of-month month day-of-week) or six with a leading second";
            return null;
        }

        CronFieldKind[] kinds =
            [CronFieldKind.Second, CronFieldKind.Minute, CronFieldKind.Hour, CronFieldKind.DayOfMonth, CronFieldKind.Month, CronFieldKind.DayOfWeek];
        var fields = new CronField[6];
        for (var i = 0; i < fields.Length; i++)
        {
            if (CronField.Parse(parts[i], kinds[i], out error) is not { } field)
            {
                return null;
            }

            fields[i] = field;
        }

        // Sunday is both 0 and 7.
        if (fields[5].Has(7))
        {
            fields[5] = fields[5] with { Bits = (fields[5].Bits & ~(1UL << 7)) | 1 };
        }

        var expression = new CronExpression(fields);
        error = expression.CanFire() ? null : "names days that no selected month has, so it never fires";
        return error is null ? expression : null;
    }

    /// <summary>
    /// The first fire time strictly after <paramref name="after"/>, in UTC, the fields read as wall-clock time in
    /// <paramref name="zone"/> and mapped to instants by <see cref="ZoneTimes.ToInstant"/>; null beyond the horizon.
    /// </summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after, TimeZoneInfo zone)
    {
        // Wall time maps to instants in order (ZoneTimes), so the first candidate past "after" is the answer. In the
        // second pass of a repeated hour the candidates up to its end already fired in the first pass: skipped.
        for (var candidate = NextLocal(TimeZoneInfo.ConvertTime(after, zone).DateTime); candidate is { } wall; candidate = NextLocal(wall))
        {
            var instant = ZoneTimes.ToInstant(wall, zone);
            if (instant > after)
            {
                return instant.ToUniversalTime();
            }
        }

        return null;
    }

    /// <summary>The first wall-clock time strictly after <paramref name="after"/> that the fields select.</summary>
    internal DateTime? NextLocal(DateTime after)
    {
        if (after.Year > DateTime.MaxValue.Year - HorizonYears - 1)
        {
            return null;
        }

        var limit = new DateTime(after.Year + HorizonYears + 1, 1, 1);
        var t = new DateTime(after.Ticks - (after.Ticks % TimeSpan.TicksPerSecond)).AddSeconds(1);
        while (t < limit)
        {
            if (!_months.Has(t.Month))
            {
                var month = _months.NextFrom(t.Month);
                t = month < 0 ? new DateTime(t.Year + 1, 1, 1) : new DateTime(t.Year, month, 1);
                continue;
            }

            if (!DayMatches(t))
            {
                t = t.Date.AddDays(1);
                continue;
            }

            if (Advance(ref t, _hours, t.Hour, t.Date, TimeSpan.FromHours(1), TimeSpan.FromDays(1))
                || Advance(ref t, _minutes, t.Minute, t.Date.AddHours(t.Hour), TimeSpan.FromMinutes(1), TimeSpan.FromHours(1))
                || Advance(ref t, _seconds, t.Second, t.Date.AddHours(t.Hour).AddMinutes(t.Minute), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)))
            {
                continue;
            }

            return t;
        }

        return null;
    }

    /// <summary>
    /// Moves <paramref name="t"/> to the next allowed value of one field (the smaller fields reset to their start),
    /// or to the start of the next larger unit when none is left; false when the current value is allowed.
    /// </summary>
    private static bool Advance(ref DateTime t, CronField field, int current, DateTime unitStart, TimeSpan unit, TimeSpan parent)
    {
        var next = field.NextFrom(current);
        if (next == current)
        {
            return false;
        }

        t = next < 0 ? unitStart + parent : unitStart + (unit * next);
        return true;
    }

    private bool DayMatches(DateTime day)
    {
        var byDate = _daysOfMonth.Has(day.Day);
        var byWeekday = _daysOfWeek.Has((int)day.DayOfWeek);
        return _daysOfMonth.IsStar || _daysOfWeek.IsStar ? byDate && byWeekday : byDate || byWeekday;
    }

    /// <summary>
    /// False when only day of month decides (day of week is <c>*</c>) and no selected month has any selected day,
    /// such as <c>0 0 31 2 *</c>. February counts 29 days: leap years come.
    /// </summary>
    private bool CanFire()
    {
        if (!_daysOfWeek.IsStar || _daysOfMonth.IsStar)
        {
            return true;
        }

        for (var month = 1; month <= 12; month++)
        {
            if (_months.Has(month) && _daysOfMonth.NextFrom(1) <= DateTime.DaysInMonth(2000, month))
            {
                return true;
            }
        }

        return false;
    }
}
