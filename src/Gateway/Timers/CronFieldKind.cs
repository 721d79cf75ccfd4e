namespace Gateway.Timers;

/// <summary>What one position of a cron expression holds: its name, range and, for months and weekdays, names.</summary>
internal sealed record CronFieldKind(string Name, int Min, int Max, string[]? Names = null, int FirstNamed = 0)
{
    public static readonly CronFieldKind Second = new("second", 0, 59);
    public static readonly CronFieldKind Minute = new("minute", 0, 59);
    public static readonly CronFieldKind Hour = new("hour", 0, 23);
    public static readonly CronFieldKind DayOfMonth = new("day of month", 1, 31);

    public static readonly CronFieldKind Month = new(
        "month", 1, 12, ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1);

    /// <summary>0 to 7, both 0 and 7 Sunday, as in Vixie cron.</summary>
    public static readonly CronFieldKind DayOfWeek = new("day of week", 0, 7, ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]);

    public string NamesHint => Names is null ? string.Empty : $" or {Names[0]}…{Names[^1]}";
}
