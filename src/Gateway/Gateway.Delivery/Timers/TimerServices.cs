using Gateway.Delivery;

namespace Gateway.Timers;

/// <summary>Registers the timers: events generated per subscription through its <c>config</c> (README, "Timers").</summary>
internal static class TimerServices
{
    public static IServiceCollection AddTimers(this IServiceCollection services) =>
        services
            .AddSingleton<ITimerSubscriptions>(provider => new EngineTimerSubscriptions(provider.GetRequiredService<DeliveryEngine>()))
            .AddHostedService<TimerService>();
}
