using System.Text;
using System.Text.Json.Nodes;
using Gateway.Protocols.CloudEvents;
using Gateway.Subscriptions;
using Gateway.Timers;
using Microsoft.Extensions.Logging.Abstractions;
using static Gateway.Timers.Tests.VixieCronExpressionTests;

namespace Gateway.Timers.Tests;

/// <summary>
/// The timer service on a virtual clock: the test moves time forward and reads what was appended to the log, with
/// no sleeping. Before each move it waits until the service has read the last change of the subscriptions.
/// </summary>
public sealed class TimerServiceTests : IAsyncDisposable
{
    private readonly NudgedClock _clock = new(At("2025-01-01T00:00:00Z"));
    private readonly FakeTimerSubscriptions _subscriptions = new();
    private readonly RecordingEventLog _log = new();
    private readonly MovablePartitions _partitions = new();
    private TimerService? _service;

    private static Subscription Timer(string id, string config) => new()
    {
        Id = id,
        Config = JsonNode.Parse(config)!.AsObject(),
        Sink = "http://127.0.0.1:9/hook",
        Protocol = "HTTP",
        ProtocolSettings = [],
    };

    private async Task StartAsync()
    {
        _subscriptions.ForgetReads();
        _service = new TimerService(_subscriptions, _log, _partitions, _clock, NullLogger<TimerService>.Instance);
        await _service.StartAsync(CancellationToken.None);
        await _subscriptions.WaitForReadAsync();
    }

    private async Task StopAsync()
    {
        await _service!.StopAsync(CancellationToken.None);
        _service.Dispose();
        _service = null;
    }

    private async Task<IReadOnlyList<CloudEvent>> AdvanceAsync(int seconds)
    {
        var batch = _log.NextBatchAsync();
        await _clock.AdvanceUntilAsync(TimeSpan.FromSeconds(seconds), batch);
        return await batch;
    }

    private static string Data(CloudEvent cloudEvent) => Encoding.UTF8.GetString(cloudEvent.Data.Bytes.Span);

    [Fact]
    public async Task AnInterval_AppendsOneEventPerTick_WithTheScheduledTimeAndTheData()
    {
        _subscriptions.Set(Timer("s1", """{"interval":5,"data":"hello"}"""));
        await StartAsync();

        var first = Assert.Single(await AdvanceAsync(5));
        var second = Assert.Single(await AdvanceAsync(5));

        Assert.Equal("2025-01-01T00:00:05Z", first.Time);
        Assert.Equal("2025-01-01T00:00:10Z", second.Time);
        Assert.Equal("\"hello\"", Data(first));
        Assert.Equal("application/json", first.DataContentType);
        Assert.Equal("/subscriptions/s1", first.Source);
        Assert.Equal(TimerEvents.Type, first.Type);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal("s1", TimerTarget.Of(first));
    }

    [Fact]
    public async Task ACron_FiresAtItsTimes()
    {
        _subscriptions.Set(Timer("c1", """{"cron":"*/10 * * * * *","data":{"n":1}}"""));
        await StartAsync();

        var first = Assert.Single(await AdvanceAsync(10));
        var second = Assert.Single(await AdvanceAsync(10));

        Assert.Equal("2025-01-01T00:00:10Z", first.Time);
        Assert.Equal("2025-01-01T00:00:20Z", second.Time);
        Assert.Equal("""{"n":1}""", Data(second));
    }

    [Fact]
    public async Task TimesThatPassWhileTheClockJumped_AreNotMadeUp()
    {
        _subscriptions.Set(Timer("s1", """{"interval":5}"""));
        await StartAsync();
        await AdvanceAsync(5);

        var late = Assert.Single(await AdvanceAsync(17));
        var next = Assert.Single(await AdvanceAsync(3));

        // The tick due at :10 fires once, late; :15 and :20 passed meanwhile and are skipped.
        Assert.Equal("2025-01-01T00:00:10Z", late.Time);
        Assert.Equal("2025-01-01T00:00:25Z", next.Time);
    }

    [Fact]
    public async Task TicksMissedWhileTheGatewayWasDown_AreNotReplayed()
    {
        _subscriptions.Set(Timer("s1", """{"interval":5,"startdate":"2025-01-01T00:00:00Z"}"""));
        await StartAsync();
        await AdvanceAsync(5);
        await StopAsync();

        _clock.Advance(TimeSpan.FromMinutes(1));
        await StartAsync();
        var afterRestart = Assert.Single(await AdvanceAsync(5));

        Assert.Equal("2025-01-01T00:01:10Z", afterRestart.Time);
        Assert.False(_log.HasMore);
    }

    [Fact]
    public async Task CreateUpdateAndDelete_AreFollowed()
    {
        var heartbeat = Timer("heartbeat", """{"interval":5}""");
        _subscriptions.Set(heartbeat);
        await StartAsync();

        _subscriptions.Set(heartbeat, Timer("s1", """{"interval":5,"data":"v1"}"""));
        await _subscriptions.WaitForReadAsync();
        var created = await AdvanceAsync(5);

        _subscriptions.Set(heartbeat, Timer("s1", """{"interval":5,"data":"v2"}"""));
        await _subscriptions.WaitForReadAsync();
        var updated = await AdvanceAsync(5);

        _subscriptions.Set(heartbeat);
        await _subscriptions.WaitForReadAsync();
        var deleted = await AdvanceAsync(5);

        Assert.Equal(["heartbeat", "s1"], created.Select(TimerTarget.Of).Order());
        Assert.Equal("\"v1\"", Data(created.Single(e => TimerTarget.Of(e) == "s1")));
        Assert.Equal("\"v2\"", Data(updated.Single(e => TimerTarget.Of(e) == "s1")));
        Assert.Equal(["heartbeat"], deleted.Select(TimerTarget.Of));
    }

    [Fact]
    public async Task OnlyTheNodeThatDrivesTheSubscriptionFires_CheckedAtEveryTick()
    {
        _subscriptions.Set(Timer("mine", """{"interval":5}"""), Timer("moving", """{"interval":5}"""));
        _partitions.Move("moving", here: false);
        await StartAsync();

        var elsewhere = await AdvanceAsync(5);
        _partitions.Move("moving", here: true);
        var here = await AdvanceAsync(5);

        Assert.Equal(["mine"], elsewhere.Select(TimerTarget.Of));
        Assert.Equal(["mine", "moving"], here.Select(TimerTarget.Of).Order());
    }

    [Fact]
    public async Task APausedSubscription_GetsNoTicks_UntilResumed()
    {
        _subscriptions.Set(Timer("on", """{"interval":5}"""), Timer("paused", """{"interval":5}"""));
        _subscriptions.SetPaused("paused", paused: true);
        await StartAsync();

        var whilePaused = await AdvanceAsync(5);
        _subscriptions.SetPaused("paused", paused: false);
        var resumed = await AdvanceAsync(5);

        Assert.Equal(["on"], whilePaused.Select(TimerTarget.Of));
        Assert.Equal(["on", "paused"], resumed.Select(TimerTarget.Of).Order());
    }

    [Fact]
    public async Task NothingFires_AfterTheStopDate()
    {
        _subscriptions.Set(
            Timer("heartbeat", """{"interval":5}"""),
            Timer("stopping", """{"interval":5,"stopdate":"2025-01-01T00:00:10Z"}"""));
        await StartAsync();

        var before = await AdvanceAsync(5);
        var at = await AdvanceAsync(5);

        Assert.Equal(["heartbeat", "stopping"], before.Select(TimerTarget.Of).Order());
        Assert.Equal(["heartbeat"], at.Select(TimerTarget.Of));
    }

    [Fact]
    public async Task AFailedAppend_IsTriedAgain_WithTheSameFireTime()
    {
        _subscriptions.Set(Timer("s1", """{"interval":5}"""));
        _log.FailuresToCome = 1;
        await StartAsync();

        await _clock.AdvanceUntilAsync(TimeSpan.FromSeconds(5), _log.Failed);
        var retried = Assert.Single(await AdvanceAsync(1));

        Assert.Equal("2025-01-01T00:00:05Z", retried.Time);
    }

    public async ValueTask DisposeAsync()
    {
        if (_service is not null)
        {
            await StopAsync();
        }
    }
}
