using Gateway.Protocols.Abstractions;

namespace Gateway.SpecConformance.Infrastructure;

/// <summary>
/// An event source run in this process as the gateway runs one: <see cref="ISourceBinding.ValidateAndComplete"/>, then
/// <see cref="ISourceBinding.CreateSource"/> and <see cref="IEventSource.RunAsync"/> until disposed.
/// </summary>
public sealed class RunningSource : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    private RunningSource(IEventSource source, SourceContext context)
    {
        Health = context.Health;
        Run = Task.Run(() => source.RunAsync(context, _stop.Token));
    }

    public SourceHealth Health { get; }

    /// <summary>The run; it ends only by cancellation or by failing.</summary>
    public Task Run { get; }

    public static RunningSource Start(ISourceBinding binding, SourceSpec spec, IEventAppender appender)
    {
        var errors = new List<ValidationError>();
        binding.ValidateAndComplete(spec, errors);
        Assert.Empty(errors);
        return new RunningSource(binding.CreateSource(spec), new SourceContext(appender, new SourceHealth(), new MemoryState(), TimeProvider.System));
    }

    /// <summary>Polls the health until <paramref name="condition"/> holds; fails the test after 30 s.</summary>
    public async Task<SourceHealthSnapshot> HealthWhenAsync(Func<SourceHealthSnapshot, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition(Health.Snapshot))
        {
            Assert.False(Run.IsCompleted, $"the source stopped: {Run.Exception?.GetBaseException().Message}");
            Assert.True(DateTime.UtcNow < deadline, $"the source's health never got there: {Health.Snapshot}");
            await Task.Delay(50);
        }

        return Health.Snapshot;
    }

    /// <summary>Stops the run as the gateway does (cancellation).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();

        // A run ends by cancellation when stopped; a test that expects it to fail awaits it itself.
        await Run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private sealed class MemoryState : ISourceState
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
