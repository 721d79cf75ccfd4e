using Gateway.Protocols.Abstractions;

namespace Gateway.Testing;

/// <summary>
/// One run of an event source in this process, as the gateway runs one (<see cref="IEventSource.RunAsync"/> until
/// stopped), with its own health and state. Shared by tests/ and spec-conformance/.
/// </summary>
public sealed class SourceRun : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _stop = new();

    public SourceRun(IEventSource source, IEventAppender appender)
    {
        var context = new SourceContext(appender, Health, new MemorySourceState(), TimeProvider.System);
        Completion = Task.Run(() => source.RunAsync(context, _stop.Token));
    }

    public SourceHealth Health { get; } = new();

    /// <summary>The run: it ends when stopped, or faults when the source cannot go on.</summary>
    public Task Completion { get; }

    /// <summary>Validates <paramref name="spec"/> as the API does (it must be valid), then runs the source it describes.</summary>
    public static SourceRun Start(ISourceBinding binding, SourceSpec spec, IEventAppender appender)
    {
        var errors = new List<ValidationError>();
        binding.ValidateAndComplete(spec, errors);
        Assert.Empty(errors);
        return new SourceRun(binding.CreateSource(spec), appender);
    }

    /// <summary>
    /// Waits (bounded) until the source reports itself connected, which the MQTT source does once the broker granted
    /// its subscription.
    /// </summary>
    public Task ConnectedAsync() => HealthWhenAsync(h => h.Connected);

    /// <summary>
    /// Polls the health until <paramref name="condition"/> holds (health has no change signal); fails the test when the
    /// run ended first or after 30 s.
    /// </summary>
    public async Task<SourceHealthSnapshot> HealthWhenAsync(Func<SourceHealthSnapshot, bool> condition)
    {
        var deadline = DateTime.UtcNow + HealthTimeout;
        while (!condition(Health.Snapshot))
        {
            Assert.False(Completion.IsCompleted, $"the source stopped: {Completion.Exception?.GetBaseException().Message}");
            Assert.True(DateTime.UtcNow < deadline, $"the source's health never got there: {Health.Snapshot}");
            await Task.Delay(20);
        }

        return Health.Snapshot;
    }

    /// <summary>Stops the run (a node shutting down: whatever the source has not acknowledged stays with the broker).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();

        // A run ends by cancellation when stopped; a test that expects it to fail awaits it itself.
        await Completion.WaitAsync(StopTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Assert.True(Completion.IsCompleted, "the source did not stop");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private sealed class MemorySourceState : ISourceState
    {
        private string? _state;

        public Task<string?> LoadAsync(CancellationToken cancellationToken) => Task.FromResult(_state);

        public Task SaveAsync(string state, CancellationToken cancellationToken)
        {
            _state = state;
            return Task.CompletedTask;
        }
    }
}
