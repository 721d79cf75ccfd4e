using Gateway.Timers;
using static Gateway.Timers.Tests.VixieCronExpressionTests;

namespace Gateway.Timers.Tests;

/// <summary>
/// Fire times in a zone with daylight-saving time, by Cronos's rules (as in Vixie cron, <see cref="VixieCronExpression"/>):
/// a skipped local time fires at the jump; in a repeated hour a fixed time fires once, the first time, and an
/// expression with <c>*</c>, <c>-</c> or <c>/</c> in its second, minute or hour field fires in both passes. Berlin jumps
/// 02:00 → 03:00 on 2025-03-30 (01:00 UTC) and falls back 03:00 → 02:00 on 2025-10-26 (01:00 UTC); New York jumps on
/// 2025-03-09 (07:00 UTC) and falls back 02:00 → 01:00 on 2025-11-02 (06:00 UTC).
/// </summary>
/// <remarks>
/// Before Cronos the gateway's own parser paused interval expressions for the repeated hour; Cronos keeps their pace
/// (an "every 20 minutes" timer fires every 20 minutes of real time), which is what the peers' users expect of cron.
/// </remarks>
public sealed class CronDaylightSavingTests
{
    [Theory]
    [InlineData("Europe/Berlin", "30 2 * * *", "2025-03-29T12:00:00Z", "2025-03-30T01:00:00Z")]
    [InlineData("Europe/Berlin", "30 2 * * *", "2025-03-30T01:00:00Z", "2025-03-31T00:30:00Z")]
    [InlineData("Europe/Berlin", "*/15 2 * * *", "2025-03-30T00:30:00Z", "2025-03-30T01:00:00Z")]
    [InlineData("Europe/Berlin", "*/15 2 * * *", "2025-03-30T01:00:00Z", "2025-03-31T00:00:00Z")]
    [InlineData("Europe/Berlin", "0 * * * *", "2025-03-30T00:00:00Z", "2025-03-30T01:00:00Z")]
    [InlineData("Europe/Berlin", "0 * * * *", "2025-03-30T01:00:00Z", "2025-03-30T02:00:00Z")]
    [InlineData("Europe/Berlin", "0 9 * * *", "2025-03-29T08:00:00Z", "2025-03-30T07:00:00Z")]
    [InlineData("America/New_York", "30 2 * * *", "2025-03-08T12:00:00Z", "2025-03-09T07:00:00Z")]
    [InlineData("America/New_York", "0 9 * * *", "2025-03-08T14:00:00Z", "2025-03-09T13:00:00Z")]
    public void SkippedLocalTimes_FireOnce_AtTheJump(string zone, string expression, string after, string expected)
    {
        AssertNext(zone, expression, after, expected);
    }

    [Theory]
    [InlineData("Europe/Berlin", "30 2 * * *", "2025-10-25T12:00:00Z", "2025-10-26T00:30:00Z")]
    [InlineData("Europe/Berlin", "30 2 * * *", "2025-10-26T00:30:00Z", "2025-10-27T01:30:00Z")]
    [InlineData("America/New_York", "30 1 * * *", "2025-11-01T12:00:00Z", "2025-11-02T05:30:00Z")]
    [InlineData("America/New_York", "30 1 * * *", "2025-11-02T05:30:00Z", "2025-11-03T06:30:00Z")]
    [InlineData("America/New_York", "0 9 * * *", "2025-11-01T13:00:00Z", "2025-11-02T14:00:00Z")]
    public void RepeatedLocalTimes_OfAFixedTime_FireOnce_TheFirstTime(string zone, string expression, string after, string expected)
    {
        AssertNext(zone, expression, after, expected);
    }

    [Theory]
    [InlineData("Europe/Berlin", "0 * * * *", "2025-10-26T00:00:00Z", "2025-10-26T01:00:00Z")]
    [InlineData("Europe/Berlin", "0 * * * *", "2025-10-26T01:00:00Z", "2025-10-26T02:00:00Z")]
    [InlineData("Europe/Berlin", "30 * * * *", "2025-10-26T00:45:00Z", "2025-10-26T01:30:00Z")]
    [InlineData("Europe/Berlin", "30 * * * *", "2025-10-26T01:10:00Z", "2025-10-26T01:30:00Z")]
    [InlineData("Europe/Berlin", "30 * * * *", "2025-10-26T01:30:00Z", "2025-10-26T02:30:00Z")]
    public void RepeatedLocalTimes_OfAnIntervalExpression_FireInBothPasses(string zone, string expression, string after, string expected)
    {
        AssertNext(zone, expression, after, expected);
    }

    [Fact]
    public void AZoneWithAHalfHourOffset_FiresAtLocalMidnight()
    {
        AssertNext("Asia/Kolkata", "0 0 * * *", "2025-01-01T00:00:00Z", "2025-01-01T18:30:00Z");
    }

    /// <summary>Every 20 minutes through both changes of a year: every fire time later than the one before.</summary>
    [Fact]
    public void FireTimes_AlwaysMoveForward_ThroughAWholeYear()
    {
        var cron = VixieCronExpression.Parse("*/20 * * * *", out _)!;
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var previous = At("2024-12-31T22:59:59Z");
        var count = 0;

        // Berlin's 2025, midnight to midnight.
        while (cron.NextAfter(previous, zone) is { } next && next < At("2025-12-31T23:00:00Z"))
        {
            Assert.True(next > previous);
            previous = next;
            count++;
        }

        // 365 days × 72 wall-clock times, less the skipped hour's three, which fire at the jump (03:00, together
        // with 03:00's own), and plus the repeated hour's three, which fire in both passes: every 20 minutes of real time.
        Assert.Equal((365 * 72) - 3 + 3, count);
    }

    private static void AssertNext(string zone, string expression, string after, string expected)
    {
        var cron = VixieCronExpression.Parse(expression, out var error) ?? throw new InvalidOperationException(error);

        Assert.Equal(At(expected), cron.NextAfter(At(after), TimeZoneInfo.FindSystemTimeZoneById(zone)));
    }
}
