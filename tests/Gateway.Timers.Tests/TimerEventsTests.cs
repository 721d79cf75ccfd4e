using System.Text;
using System.Text.Json.Nodes;
using Gateway.Protocols.CloudEvents;
using Gateway.Subscriptions;
using Gateway.Timers;
using static Gateway.Timers.Tests.VixieCronExpressionTests;

namespace Gateway.Timers.Tests;

/// <summary>The event a timer generates.</summary>
public sealed class TimerEventsTests
{
    private static Subscription Subscription(string? source = null, string[]? types = null) => new()
    {
        Id = "openwhisk:guest:tick",
        Source = source,
        Types = types,
        Sink = "http://127.0.0.1:9/hook",
        Protocol = "HTTP",
        ProtocolSettings = [],
    };

    [Fact]
    public void Attributes_NameTheSubscription_AndTheFireTime()
    {
        var cloudEvent = TimerEvents.Create(Subscription(), JsonValue.Create("hello"), At("2025-01-01T00:00:05Z"));

        Assert.Equal("1.0", cloudEvent.SpecVersion);
        Assert.Equal("openwhisk:guest:tick:1735689605000", cloudEvent.Id);
        Assert.Equal("/subscriptions/openwhisk%3Aguest%3Atick", cloudEvent.Source);
        Assert.Equal(TimerEvents.Type, cloudEvent.Type);
        Assert.Equal("2025-01-01T00:00:05Z", cloudEvent.Time);
        Assert.Equal("application/json", cloudEvent.DataContentType);
        Assert.Equal("\"hello\"", Encoding.UTF8.GetString(cloudEvent.Data.Bytes.Span));
        Assert.True(cloudEvent.TryGetAttribute(TimerTarget.Attribute, out var target));
        Assert.Equal("openwhisk:guest:tick", target.Text);
        Assert.Equal("openwhisk:guest:tick", TimerTarget.Of(cloudEvent));
    }

    [Fact]
    public void TheSubscriptionsSourceAndFirstType_AreUsed_SUB_06_SUB_08()
    {
        var cloudEvent = TimerEvents.Create(Subscription("/my/clock", ["com.example.tick", "com.example.tock"]), null, At("2025-01-01T00:00:05.25Z"));

        Assert.Equal("/my/clock", cloudEvent.Source);
        Assert.Equal("com.example.tick", cloudEvent.Type);
        Assert.Equal("2025-01-01T00:00:05.25Z", cloudEvent.Time);
        Assert.False(cloudEvent.Data.IsPresent);
        Assert.Null(cloudEvent.DataContentType);
    }

    [Fact]
    public void AReply_CannotAddressASubscription()
    {
        var reply = TimerEvents.Create(Subscription(), null, At("2025-01-01T00:00:05Z"))
            .WithExtension("gatewayhops", CloudEventValue.FromInteger(1));

        Assert.Null(TimerTarget.Of(reply));
    }
}
