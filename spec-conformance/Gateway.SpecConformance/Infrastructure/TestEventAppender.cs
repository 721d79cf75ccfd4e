using System.Threading.Channels;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;

namespace Gateway.SpecConformance.Infrastructure;

/// <summary>What a <see cref="TestEventAppender"/> does with an append.</summary>
public enum AppendOutcome
{
    /// <summary>Keeps the events: the append completes.</summary>
    Keep,

    /// <summary>Throws, as an event log that is away would.</summary>
    Fail,

    /// <summary>Never completes until cancelled, as a crash in the middle of the append would look.</summary>
    Hang,
}

/// <summary>The event log of an in-process source test: keeps what is appended and lets the test await it.</summary>
public sealed class TestEventAppender(AppendOutcome outcome = AppendOutcome.Keep) : IEventAppender
{
    private readonly Channel<CloudEvent> _kept = Channel.CreateUnbounded<CloudEvent>();

    /// <summary>Completes with the first batch the source tried to append, whatever the outcome.</summary>
    public TaskCompletionSource<IReadOnlyList<CloudEvent>> FirstAttempt { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask AppendAsync(IReadOnlyList<CloudEvent> events, CancellationToken cancellationToken)
    {
        FirstAttempt.TrySetResult(events);
        switch (outcome)
        {
            case AppendOutcome.Fail:
                throw new IOException("the event log is away");
            case AppendOutcome.Hang:
                await Task.Delay(Timeout.Infinite, cancellationToken);
                break;
        }

        foreach (var cloudEvent in events)
        {
            _kept.Writer.TryWrite(cloudEvent);
        }
    }

    /// <summary>The next <paramref name="count"/> kept events, in append order; fails the test after <paramref name="timeout"/>.</summary>
    public async Task<List<CloudEvent>> TakeAsync(int count, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var events = new List<CloudEvent>();
        try
        {
            while (events.Count < count)
            {
                events.Add(await _kept.Reader.ReadAsync(cancel.Token));
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{events.Count} of {count} events were appended in time: {string.Join(", ", events.Select(e => e.Id))}");
        }

        return events;
    }

    /// <summary>The next kept event, or null when none comes within <paramref name="timeout"/>.</summary>
    public async Task<CloudEvent?> NextOrNullAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return await _kept.Reader.ReadAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }
}
