using Gateway.Subscriptions;

namespace Gateway.Delivery.Tests;

/// <summary>When a failed delivery is tried again: <c>delivery.backoffpolicy</c>, <c>backoffdelay</c>, <c>backoffmax</c>.</summary>
public sealed class BackoffTests
{
    private static readonly DeliveryPolicy Exponential = new()
    {
        BackoffPolicy = BackoffPolicy.Exponential,
        BackoffDelay = TimeSpan.FromSeconds(1),
        BackoffMax = TimeSpan.FromMinutes(1),
    };

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(6, 32)]
    [InlineData(7, 60)]
    [InlineData(1000, 60)]
    public void Exponential_DoublesFromTheDelay_UpToTheMax(int attempt, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Exponential.BackoffAfter(attempt, jitter: 0.5));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    [InlineData(100, 60)]
    public void Linear_GrowsByTheDelay_UpToTheMax(int attempt, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), (Exponential with { BackoffPolicy = BackoffPolicy.Linear }).BackoffAfter(attempt, jitter: 0.5));

    [Theory]
    [InlineData(0.0, 0.8)]
    [InlineData(1.0, 1.2)]
    public void Jitter_SpreadsTheWait_By20PercentEitherWay(double jitter, double factor) =>
        Assert.Equal(4000 * factor, Exponential.BackoffAfter(3, jitter).TotalMilliseconds, tolerance: 0.001);
}
