using Cronos;

namespace Gateway.Timers;

/// <summary>
/// A cron expression, read and evaluated by Cronos: five fields <c>minute hour day-of-month month day-of-week</c>
/// (firing at second 0), or six with a leading <c>second</c>, as the OpenWhisk alarms feed accepts
/// (spec/openwhisk.md). Cronos brings lists, ranges (reversed ones too), steps, names, <c>L</c>, <c>W</c>, <c>#</c>
/// and macros such as <c>@daily</c>, and its daylight-saving rules (as in Vixie cron): a local time the clock skips
/// fires at the jump; in a repeated hour, a fixed time fires once and an expression with <c>*</c>, <c>-</c> or
/// <c>/</c> in its second, minute or hour field fires in both passes, so it keeps its pace.
/// </summary>
/// <remarks>
/// One deviation from Cronos, kept on purpose: when both day of month and day of week are restricted (neither
/// <c>*</c> nor <c>?</c>), Cronos requires both to match, while Vixie cron, POSIX and the OpenWhisk alarms feed (npm
/// <c>cron</c>) fire on a day that matches either. Such an expression is evaluated here as two Cronos expressions,
/// one per day field, and fires at the earlier of their next times (VixieCronExpressionTests names the cases).
/// </remarks>
internal sealed class VixieCronExpression
{
    private static readonly string[] FieldNames = ["minute", "hour", "day of month", "month", "day of week"];

    /// <summary>Where "can it ever fire" is asked from: weekdays and dates repeat every 28 years after it.</summary>
    private static readonly DateTime Epoch = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly Cronos.CronExpression[] _alternatives;

    private VixieCronExpression(Cronos.CronExpression[] alternatives) => _alternatives = alternatives;

    /// <summary>Parses an expression, or returns null with what is wrong (naming the field) in <paramref name="error"/>.</summary>
    public static VixieCronExpression? Parse(string text, out string? error)
    {
        var fields = text.Split(' ', '\t').Where(p => p.Length > 0).ToArray();
        if (fields.Length is 1 && fields[0].StartsWith('@'))
        {
            return Build([fields[0]], CronFormat.Standard, out error);
        }

        if (fields.Length is not (5 or 6))
        {
            error = "must have five fields (minute hour day-of-month month day-of-week) or six with a leading second";
            return null;
        }

        var format = fields.Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        var (dayOfMonth, dayOfWeek) = (fields.Length - 3, fields.Length - 1);
        if (IsRestricted(fields[dayOfMonth]) && IsRestricted(fields[dayOfWeek]))
        {
            return Build([With(fields, dayOfWeek, "*"), With(fields, dayOfMonth, "*")], format, out error);
        }

        return Build([string.Join(' ', fields)], format, out error);
    }

    /// <summary>The first fire time strictly after <paramref name="after"/>, in UTC, the fields read as wall-clock time in <paramref name="zone"/>.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after, TimeZoneInfo zone)
    {
        DateTimeOffset? first = null;
        foreach (var expression in _alternatives)
        {
            if (expression.GetNextOccurrence(after, zone) is { } next && (first is null || next < first))
            {
                first = next;
            }
        }

        return first?.ToUniversalTime();
    }

    private static bool IsRestricted(string field) => !field.StartsWith('*') && field != "?";

    private static string With(string[] fields, int index, string value) =>
        string.Join(' ', fields.Select((field, i) => i == index ? value : field));

    private static VixieCronExpression? Build(string[] texts, CronFormat format, out string? error)
    {
        var alternatives = new Cronos.CronExpression[texts.Length];
        for (var i = 0; i < texts.Length; i++)
        {
            if (!Cronos.CronExpression.TryParse(texts[i], format, out var parsed))
            {
                error = Describe(texts[i], format);
                return null;
            }

            alternatives[i] = parsed;
        }

        if (alternatives.All(a => a.GetNextOccurrence(Epoch) is null))
        {
            error = "names days that no selected month has, so it never fires";
            return null;
        }

        error = null;
        return new VixieCronExpression(alternatives);
    }

    /// <summary>
    /// Which field Cronos refused, found by parsing each field alone among <c>*</c>s, with Cronos's own words: an
    /// API client needs to know what to fix.
    /// </summary>
    private static string Describe(string text, CronFormat format)
    {
        var fields = text.Split(' ');
        var names = format == CronFormat.IncludeSeconds ? ["second", .. FieldNames] : FieldNames;
        for (var i = 0; i < fields.Length && i < names.Length; i++)
        {
            var probe = With(Enumerable.Repeat("*", fields.Length).ToArray(), i, fields[i]);
            try
            {
                Cronos.CronExpression.Parse(probe, format);
            }
            catch (CronFormatException ex)
            {
                return $"{names[i]} field '{fields[i]}' is not valid: {ex.Message}";
            }
            catch (MissingSeedException)
            {
                // Cronos reads H (a value hashed from a seed) and throws this, not a format error, without a seed; found
                // by the "cron" fuzz target, where it made a subscription create answer 500.
                return $"{names[i]} field '{fields[i]}' uses H (a hashed value), which this gateway does not offer";
            }
        }

        return "is not a cron expression Cronos reads";
    }
}
