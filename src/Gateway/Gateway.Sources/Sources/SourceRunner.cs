using Gateway.Protocols.Abstractions;

namespace Gateway.Sources;

/// <summary>
/// Runs one source on this node: again after a failure, with a growing pause (1 s up to 30 s) so an unreachable
/// broker is not hammered; until stopped.
/// </summary>
internal sealed partial class SourceRunner : IAsyncDisposable
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(30);

    private readonly IEventSource _source;
    private readonly SourceContext _context;
    private readonly ILogger _logger;
    private readonly string _id;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    public SourceRunner(string id, IEventSource source, SourceContext context, ILogger logger)
    {
        _id = id;
        _source = source;
        _context = context;
        _logger = logger;
        _run = Task.Run(RunAsync, CancellationToken.None);
    }

    /// <summary>Stops reading; what was appended but not yet acknowledged upstream comes again next time.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var pause = FirstPause;
        while (!_stop.IsCancellationRequested)
        {
            var started = _context.Time.GetUtcNow();
            try
            {
                await _source.RunAsync(_context, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _context.Health.Disconnected(ex.Message, _context.Time.GetUtcNow());
                Log.Failed(_logger, _id, pause, ex);
            }

            pause = _context.Time.GetUtcNow() - started > MaxPause ? FirstPause : pause;
            try
            {
                await Task.Delay(pause, _context.Time, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            pause = pause * 2 < MaxPause ? pause * 2 : MaxPause;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(60, LogLevel.Warning, "Source {SourceId} stopped; running it again in {Pause}")]
        public static partial void Failed(ILogger logger, string sourceId, TimeSpan pause, Exception exception);
    }
}
