using System.Xml;

namespace Gateway.Protocols.Abstractions;

/// <summary>
/// ISO-8601 durations as the APIs take them (<c>PT30S</c>, <c>P1D</c>): the xs:duration form in days, hours, minutes
/// and seconds. Years and months have no fixed length, so they are refused.
/// </summary>
public static class IsoDuration
{
    /// <summary>Reads <paramref name="text"/> as an ISO-8601 duration; false when it is not one.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        var datePart = text.Split('T')[0];
        if (datePart.Contains('Y', StringComparison.Ordinal) || datePart.Contains('M', StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            duration = XmlConvert.ToTimeSpan(text);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            return false;
        }
    }
}
