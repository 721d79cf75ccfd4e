using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;

namespace Gateway.Protocols.Tests.Sources;

/// <summary>
/// The event log of the source tests: it records what is appended and wakes whoever waits for it. It can be told to
/// fail the next append (the log is down), or to hold the next one after recording it (the log committed, and the node
/// stopped before the source heard back).
/// </summary>
public sealed class RecordingAppender : IEventAppender
{
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(20);

    private readonly Lock _lock = new();
    private readonly List<CloudEvent> _events = [];
    private readonly List<(Func<IReadOnlyList<CloudEvent>, bool> Done, TaskCompletionSource Signal)> _waiters = [];
    private Exception? _failNext;
    private int _holdNext;

    public IReadOnlyList<CloudEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>The node that read an event, for logs shared by several sources (see <see cref="Node"/>).</summary>
    public static string? NodeOf(CloudEvent cloudEvent) => cloudEvent.TryGetAttribute("node", out var node) ? node.Text : null;

    /// <summary>
    /// An appender for one of several sources (gateway nodes) sharing this log: it marks each event with the extension
    /// <c>node</c>, so that a test can tell which source read what.
    /// </summary>
    public IEventAppender Node(string name) => new NodeAppender(this, name);

    /// <summary>The next append throws <paramref name="failure"/> and records nothing.</summary>
    public void FailNext(Exception failure) => Volatile.Write(ref _failNext, failure);

    /// <summary>The next append records its events, then waits until the source is stopped.</summary>
    public void HoldNext() => Volatile.Write(ref _holdNext, 1);

    public async ValueTask AppendAsync(IReadOnlyList<CloudEvent> events, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _failNext, null) is { } failure)
        {
            throw failure;
        }

        lock (_lock)
        {
            _events.AddRange(events);
            foreach (var waiter in _waiters.Where(w => w.Done(_events)).ToList())
            {
                waiter.Signal.TrySetResult();
                _waiters.Remove(waiter);
            }
        }

        if (Interlocked.Exchange(ref _holdNext, 0) == 1)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }

    /// <summary>Waits (bounded) until at least <paramref name="count"/> events were appended; returns them all.</summary>
    public Task<IReadOnlyList<CloudEvent>> WaitForAsync(int count) => WaitUntilAsync(events => events.Count >= count);

    /// <summary>Waits (bounded) until the appended events satisfy <paramref name="done"/>; returns them all.</summary>
    public async Task<IReadOnlyList<CloudEvent>> WaitUntilAsync(Func<IReadOnlyList<CloudEvent>, bool> done)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (done(_events))
            {
                return [.. _events];
            }

            _waiters.Add((done, signal));
        }

        await signal.Task.WaitAsync(WaitTimeout);
        return Events;
    }

    private sealed class NodeAppender(RecordingAppender log, string name) : IEventAppender
    {
        public ValueTask AppendAsync(IReadOnlyList<CloudEvent> events, CancellationToken cancellationToken) =>
            log.AppendAsync([.. events.Select(e => e.WithExtension("node", CloudEventValue.FromString(name)))], cancellationToken);
    }
}
