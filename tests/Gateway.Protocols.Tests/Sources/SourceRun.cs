using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Tests.Sources;

/// <summary>One run of a source in the background, as the gateway runs it, with its own health.</summary>
public sealed class SourceRun : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stop = new();

    public SourceRun(IEventSource source, IEventAppender appender)
    {
        var context = new SourceContext(appender, Health, new MemorySourceState(), TimeProvider.System);
        Completion = Task.Run(() => source.RunAsync(context, _stop.Token));
    }

    public SourceHealth Health { get; } = new();

    /// <summary>The run: it ends when stopped, or faults when the source cannot go on.</summary>
    public Task Completion { get; }

    /// <summary>
    /// Waits (bounded) until the source reports itself connected, which the MQTT source does once the broker granted
    /// its subscription. Health has no change signal, so this looks at it every few milliseconds.
    /// </summary>
    public async Task ConnectedAsync()
    {
        using var timeout = new CancellationTokenSource(ConnectTimeout);
        while (!Health.Snapshot.Connected)
        {
            Assert.False(Completion.IsFaulted, Completion.Exception?.Message);
            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>Stops the run (a node shutting down: whatever the source has not acknowledged stays with the broker).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
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
