using System.Globalization;
using System.Numerics;

namespace Gateway.Timers;

/// <summary>
/// One field of a cron expression: the values it allows, one bit each, and whether it was written starting with
/// <c>*</c> (which decides how day of month and day of week combine, <see cref="CronExpression"/>).
/// </summary>
internal readonly record struct CronField(ulong Bits, bool IsStar)
{
    public bool Has(int value) => (Bits & (1UL << value)) != 0;

    /// <summary>The smallest allowed value at or above <paramref name="from"/>, or -1 when there is none.</summary>
    public int NextFrom(int from)
    {
        var rest = from > 63 ? 0 : Bits & (ulong.MaxValue << from);
        return rest == 0 ? -1 : BitOperations.TrailingZeroCount(rest);
    }

    /// <summary>
    /// Parses a comma-separated list of <c>*</c>, <c>a</c>, <c>a-b</c>, each optionally with a step <c>/n</c>
    /// (<c>a/n</c> runs from a to the field's maximum). Values are numbers or the field's names, in any case.
    /// </summary>
    public static CronField? Parse(string text, CronFieldKind kind, out string? error)
    {
        var bits = 0UL;
        foreach (var part in text.Split(','))
        {
            if (ParsePart(part, kind, out error) is not { } partBits)
            {
                return null;
            }

            bits |= partBits;
        }

        error = null;
        return new CronField(bits, text.StartsWith('*'));
    }

    private static ulong? ParsePart(string part, CronFieldKind kind, out string? error)
    {
        var slash = part.IndexOf('/', StringComparison.Ordinal);
        var range = slash < 0 ? part : part[..slash];
        var step = 1;
        if (slash >= 0 && (!int.TryParse(part[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1))
        {
            error = $"{kind.Name}: the step in '{part}' must be a whole number of at least 1";
            return null;
        }

        int low, high;
        if (range == "*")
        {
            (low, high) = (kind.Min, kind.Max);
        }
        else
        {
            var dash = range.IndexOf('-', StringComparison.Ordinal);
            if (!TryValue(dash < 0 ? range : range[..dash], kind, out low)
                || !TryValue(dash < 0 ? range : range[(dash + 1)..], kind, out high))
            {
                error = $"{kind.Name}: '{part}' is not a value from {kind.Min} to {kind.Max}{kind.NamesHint}, a range a-b or *, with an optional /step";
                return null;
            }

            if (dash < 0 && slash >= 0)
            {
                high = kind.Max;
            }

            if (low > high)
            {
                error = $"{kind.Name}: the range '{range}' runs backwards";
                return null;
            }
        }

        var bits = 0UL;
        for (var value = low; value <= high; value += step)
        {
            bits |= 1UL << value;
        }

        error = null;
        return bits;
    }

    private static bool TryValue(string text, CronFieldKind kind, out int value)
    {
        var named = kind.Names is { } names ? Array.FindIndex(names, n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase)) : -1;
        if (named >= 0)
        {
            value = named + kind.FirstNamed;
            return true;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= kind.Min && value <= kind.Max;
    }
}
