using Gateway.Delivery;

namespace Gateway.Delivery.Tests;

/// <summary>WH-06: after a 429 with <c>Retry-After</c>, nothing goes to that origin before then, by any subscription.</summary>
public sealed class OriginPausesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void SinksOfOneOrigin_ShareItsPause_AndOtherOriginsDoNot()
    {
        var pauses = new OriginPauses();

        pauses.Pause(OriginPauses.OriginOf("https://hooks.example.com/a")!, Now.AddSeconds(30));

        Assert.Equal(Now.AddSeconds(30), pauses.PausedUntil(OriginPauses.OriginOf("https://HOOKS.example.com/b?x=1"), Now));
        Assert.Null(pauses.PausedUntil(OriginPauses.OriginOf("https://hooks.example.com:8443/a"), Now));
        Assert.Null(pauses.PausedUntil(OriginPauses.OriginOf("http://hooks.example.com/a"), Now));
    }

    [Fact]
    public void AShorterLaterPause_DoesNotCutALongerOneShort()
    {
        var pauses = new OriginPauses();
        var origin = OriginPauses.OriginOf("https://hooks.example.com/a")!;

        pauses.Pause(origin, Now.AddMinutes(5));
        pauses.Pause(origin, Now.AddSeconds(10));

        Assert.Equal(Now.AddMinutes(5), pauses.PausedUntil(origin, Now));
    }

    [Fact]
    public void APause_EndsAtItsTime()
    {
        var pauses = new OriginPauses();
        var origin = OriginPauses.OriginOf("https://hooks.example.com/a")!;

        pauses.Pause(origin, Now.AddSeconds(10));

        Assert.NotNull(pauses.PausedUntil(origin, Now.AddSeconds(9)));
        Assert.Null(pauses.PausedUntil(origin, Now.AddSeconds(10)));
    }

    [Fact]
    public void ASinkWithoutAnAuthority_HasNoOrigin_AndIsNeverPaused()
    {
        var pauses = new OriginPauses();

        Assert.Null(OriginPauses.OriginOf("localhost:9092,other:9092"));
        Assert.Null(pauses.PausedUntil(null, Now));
    }
}
