namespace Gateway.Protocols.CloudEvents;

/// <summary>Checks RFC 3339 <c>date-time</c> strings, the canonical form of the Timestamp type (§2.2).</summary>
public static class Rfc3339
{
    /// <summary>
    /// True for <c>YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)</c> with every field in range. The time is checked, never
    /// re-formatted: the gateway keeps the string as received (§2.2).
    /// </summary>
    public static bool IsValid(ReadOnlySpan<char> s)
    {
        // Shortest form: 2018-04-05T17:31:00Z (20 characters).
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || (s[10] is not ('T' or 't')) || s[13] != ':' || s[16] != ':')
        {
            return false;
        }

        if (!TryDigits(s[..4], out var year) || !TryDigits(s[5..7], out var month) || !TryDigits(s[8..10], out var day)
            || !TryDigits(s[11..13], out var hour) || !TryDigits(s[14..16], out var minute)
            || !TryDigits(s[17..19], out var second))
        {
            return false;
        }

        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month)
            || hour > 23 || minute > 59 || second > 60)
        {
            return false;
        }

        var rest = s[19..];
        if (rest[0] == '.')
        {
            var digits = 1;
            while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
            {
                digits++;
            }

            if (digits == 1)
            {
                return false;
            }

            rest = rest[digits..];
        }

        return IsOffset(rest);
    }

    private static bool IsOffset(ReadOnlySpan<char> s)
    {
        if (s.Length == 1)
        {
            return s[0] is 'Z' or 'z';
        }

        return s.Length == 6 && s[0] is '+' or '-' && s[3] == ':'
            && TryDigits(s[1..3], out var hours) && hours <= 23
            && TryDigits(s[4..6], out var minutes) && minutes <= 59;
    }

    private static bool TryDigits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
