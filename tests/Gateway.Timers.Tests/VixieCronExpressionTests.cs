using System.Globalization;
using Gateway.Timers;

namespace Gateway.Timers.Tests;

/// <summary>
/// Cron expressions (Cronos underneath): their syntax, and the next fire time in UTC. Since Cronos: reversed ranges
/// (<c>5-1</c>), <c>L</c>, <c>#</c> and macros are read too, and an error names the field with Cronos's own words.
/// </summary>
public sealed class VixieCronExpressionTests
{
    internal static DateTimeOffset At(string time) => DateTimeOffset.Parse(time, CultureInfo.InvariantCulture);

    private static VixieCronExpression Parse(string text) =>
        VixieCronExpression.Parse(text, out var error) ?? throw new InvalidOperationException(error);

    [Theory]
    [InlineData("*/5 * * * *", "2025-01-01T00:00:00Z", "2025-01-01T00:05:00Z")]
    [InlineData("*/5 * * * *", "2025-01-01T00:03:17.5Z", "2025-01-01T00:05:00Z")]
    [InlineData("* * * * *", "2025-01-01T00:00:59.9Z", "2025-01-01T00:01:00Z")]
    [InlineData("0 * * * *", "2025-01-01T00:00:00Z", "2025-01-01T01:00:00Z")]
    [InlineData("0 9 8 * *", "2025-01-08T09:00:00Z", "2025-02-08T09:00:00Z")]
    [InlineData("30 4 1,15 * *", "2025-01-02T00:00:00Z", "2025-01-15T04:30:00Z")]
    [InlineData("0 8-18/4 * * *", "2025-01-01T12:00:00Z", "2025-01-01T16:00:00Z")]
    [InlineData("0 8-18/4 * * *", "2025-01-01T16:00:00Z", "2025-01-02T08:00:00Z")]
    [InlineData("0 3/10 * * *", "2025-01-01T03:00:00Z", "2025-01-01T13:00:00Z")]
    [InlineData("0 22 * * 1-5", "2025-01-03T22:00:00Z", "2025-01-06T22:00:00Z")]
    [InlineData("0 22 * * mon-FRI", "2025-01-03T22:00:00Z", "2025-01-06T22:00:00Z")]
    [InlineData("0 0 * * 0", "2025-01-01T00:00:00Z", "2025-01-05T00:00:00Z")]
    [InlineData("0 0 * * 7", "2025-01-01T00:00:00Z", "2025-01-05T00:00:00Z")]
    [InlineData("0 0 * * SUN", "2025-01-01T00:00:00Z", "2025-01-05T00:00:00Z")]
    [InlineData("0 0 * * FRI-SAT", "2025-01-01T00:00:00Z", "2025-01-03T00:00:00Z")]
    [InlineData("0 0 1 JAN,jul *", "2025-01-01T00:00:00Z", "2025-07-01T00:00:00Z")]
    [InlineData("0 0 1 1 *", "2025-06-01T00:00:00Z", "2026-01-01T00:00:00Z")]
    [InlineData("59 23 31 12 *", "2025-12-31T23:59:00Z", "2026-12-31T23:59:00Z")]
    [InlineData("0 0 31 * *", "2025-01-31T00:00:00Z", "2025-03-31T00:00:00Z")]
    [InlineData("0 0 29 2 *", "2025-01-01T00:00:00Z", "2028-02-29T00:00:00Z")]
    [InlineData("0 0 29 2 *", "2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z")]
    [InlineData("0 0 29 2 *", "2096-03-01T00:00:00Z", "2104-02-29T00:00:00Z")]
    [InlineData("0 0 */31 2 MON", "2021-02-01T00:00:00Z", "2027-02-01T00:00:00Z")]
    [InlineData("*/30 * * * * *", "2025-01-01T00:00:00Z", "2025-01-01T00:00:30Z")]
    [InlineData("*/30 * * * * *", "2025-01-01T00:00:30Z", "2025-01-01T00:01:00Z")]
    [InlineData("15,45 30 12 * * *", "2025-01-01T12:30:15Z", "2025-01-01T12:30:45Z")]
    [InlineData("5-1 * * * *", "2025-01-01T00:01:00Z", "2025-01-01T00:05:00Z")]
    [InlineData("5-1 * * * *", "2025-01-01T00:59:00Z", "2025-01-01T01:00:00Z")]
    [InlineData("0 0 L * *", "2025-02-01T00:00:00Z", "2025-02-28T00:00:00Z")]
    [InlineData("0 0 * * FRI#2", "2025-01-01T00:00:00Z", "2025-01-10T00:00:00Z")]
    [InlineData("@daily", "2025-01-01T12:00:00Z", "2025-01-02T00:00:00Z")]
    public void NextAfter_InUtc(string expression, string after, string expected)
    {
        Assert.Equal(At(expected), Parse(expression).NextAfter(At(after), TimeZoneInfo.Utc));
    }

    /// <summary>Both day fields restricted: a day matches either (Vixie cron); one written with * : both must.</summary>
    [Theory]
    [InlineData("0 0 13 * FRI", "2025-05-10T00:00:00Z", "2025-05-13T00:00:00Z")]
    [InlineData("0 0 13 * FRI", "2025-05-13T00:00:00Z", "2025-05-16T00:00:00Z")]
    [InlineData("0 0 1,15 * 3", "2025-01-01T00:00:00Z", "2025-01-08T00:00:00Z")]
    [InlineData("0 0 */2 * MON", "2025-01-01T00:00:00Z", "2025-01-13T00:00:00Z")]
    [InlineData("0 0 13 * *", "2025-05-10T00:00:00Z", "2025-05-13T00:00:00Z")]
    [InlineData("0 0 * * FRI", "2025-05-10T00:00:00Z", "2025-05-16T00:00:00Z")]
    public void DayOfMonthAndDayOfWeek_CombineAsInVixieCron(string expression, string after, string expected)
    {
        Assert.Equal(At(expected), Parse(expression).NextAfter(At(after), TimeZoneInfo.Utc));
    }

    [Fact]
    public void FiveFields_FireAtSecondZero_AndAnOffsetInputIsTheSameInstant()
    {
        var cron = Parse("0 12 * * *");

        Assert.Equal(At("2025-01-01T12:00:00Z"), cron.NextAfter(At("2025-01-01T13:00:00+02:00"), TimeZoneInfo.Utc));
    }

    [Theory]
    [InlineData("", "five fields")]
    [InlineData("* * * *", "five fields")]
    [InlineData("* * * * * * *", "five fields")]
    [InlineData("60 * * * *", "minute")]
    [InlineData("* 24 * * *", "hour")]
    [InlineData("* * 0 * *", "day of month")]
    [InlineData("* * 32 * *", "day of month")]
    [InlineData("* * * 13 *", "month")]
    [InlineData("* * * FOO *", "month")]
    [InlineData("* * * * 8", "day of week")]
    [InlineData("* * * * MON-", "day of week")]
    [InlineData("60 * * * * *", "second")]
    [InlineData("*/0 * * * *", "minute field '*/0'")]
    [InlineData("*/x * * * *", "minute field '*/x'")]
    [InlineData("0 0 * * MON#6", "day of week field 'MON#6'")]
    [InlineData("1,,2 * * * *", "minute")]
    [InlineData("1-2-3 * * * *", "minute")]
    [InlineData("a * * * *", "minute")]
    [InlineData("H * * * *", "minute field 'H' uses H")]
    [InlineData("0 H(0-6) * * *", "hour field 'H(0-6)' uses H")]
    [InlineData("0 0 30 2 *", "never fires")]
    [InlineData("0 0 31 4,6,9,11 *", "never fires")]
    public void Invalid_IsRejected_WithWhatIsWrong(string expression, string expected)
    {
        var cron = VixieCronExpression.Parse(expression, out var error);

        Assert.Null(cron);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void February30_OrAFriday_FiresOnFebruaryFridays()
    {
        Assert.Equal(At("2025-02-07T00:00:00Z"), Parse("0 0 30 2 FRI").NextAfter(At("2025-01-01T00:00:00Z"), TimeZoneInfo.Utc));
    }

    [Fact]
    public void NearTheEndOfTime_ThereIsNoNextFireTime()
    {
        Assert.Null(Parse("0 0 1 1 *").NextAfter(At("9999-06-01T00:00:00Z"), TimeZoneInfo.Utc));
    }
}
