using System.Text.Json.Nodes;
using Gateway.Timers;
using static Gateway.Timers.Tests.VixieCronExpressionTests;

namespace Gateway.Timers.Tests;

/// <summary>When a timer fires: the interval's phase, the cron times, and the start and stop dates.</summary>
public sealed class TimerScheduleTests
{
    private static TimerSchedule Schedule(string config, string started) =>
        new(TimerConfig.Read(JsonNode.Parse(config)!.AsObject(), [])!, At(started));

    [Fact]
    public void Interval_WithoutStartDate_RunsFromTheWholeSecondItStarted()
    {
        var schedule = Schedule("""{"interval":5}""", "2025-01-01T00:00:00.7Z");

        Assert.Equal(At("2025-01-01T00:00:05Z"), schedule.NextAfter(At("2025-01-01T00:00:00.7Z")));
        Assert.Equal(At("2025-01-01T00:00:10Z"), schedule.NextAfter(At("2025-01-01T00:00:05Z")));
        Assert.Equal(At("2025-01-01T00:01:40Z"), schedule.NextAfter(At("2025-01-01T00:01:37Z")));
    }

    [Fact]
    public void Interval_WithStartDate_FiresAtItThenKeepsItsPhase()
    {
        var schedule = Schedule("""{"interval":60,"startdate":"2025-01-01T12:00:30Z"}""", "2025-01-01T00:00:00Z");

        Assert.Equal(At("2025-01-01T12:00:30Z"), schedule.NextAfter(At("2025-01-01T00:00:00Z")));
        Assert.Equal(At("2025-01-01T12:01:30Z"), schedule.NextAfter(At("2025-01-01T12:00:30Z")));
        Assert.Equal(At("2025-01-02T00:00:30Z"), schedule.NextAfter(At("2025-01-02T00:00:00Z")));
    }

    [Fact]
    public void Cron_WithStartDate_StartsThere_AndStartDateItselfFires()
    {
        var schedule = Schedule("""{"cron":"0 * * * *","startdate":"2025-06-01T10:00:00Z"}""", "2025-01-01T00:00:00Z");

        Assert.Equal(At("2025-06-01T10:00:00Z"), schedule.NextAfter(At("2025-01-01T00:00:00Z")));
        Assert.Equal(At("2025-06-01T11:00:00Z"), schedule.NextAfter(At("2025-06-01T10:00:00Z")));
    }

    [Fact]
    public void Cron_InATimeZone()
    {
        var schedule = Schedule("""{"cron":"0 2 * * 7","timezone":"Europe/Berlin"}""", "2025-01-01T00:00:00Z");

        Assert.Equal(At("2025-01-05T01:00:00Z"), schedule.NextAfter(At("2025-01-01T00:00:00Z")));
    }

    [Theory]
    [InlineData("""{"interval":10,"stopdate":"2025-01-01T00:00:30Z"}""")]
    [InlineData("""{"cron":"*/10 * * * * *","stopdate":"2025-01-01T00:00:30Z"}""")]
    public void NothingFires_AtOrAfterTheStopDate(string config)
    {
        var schedule = Schedule(config, "2025-01-01T00:00:00Z");

        Assert.Equal(At("2025-01-01T00:00:20Z"), schedule.NextAfter(At("2025-01-01T00:00:10Z")));
        Assert.Null(schedule.NextAfter(At("2025-01-01T00:00:20Z")));
    }
}
