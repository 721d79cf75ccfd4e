using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Gateway.Storage.Postgres;

/// <summary>
/// What other nodes changed in the shared store, as their <c>NOTIFY</c>s said. The queue is bounded: a change that
/// finds it full is not dropped silently but turns into "compare everything" once the queue is drained.
/// </summary>
internal sealed class StoreChanges
{
    /// <summary>Far more than a burst of changes from other nodes; past it, one full comparison is cheaper.</summary>
    private const int Capacity = 4096;

    private readonly Channel<StoreChange> _changes = Channel.CreateBounded<StoreChange>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private int _overflowed;

    public void SubscriptionChanged(string id) => Post(new StoreChange.Subscription(id));

    public void ServicesChanged() => Post(new StoreChange.Services());

    public void SourceChanged(string id) => Post(new StoreChange.Source(id));

    /// <summary>A change that could not be applied yet, to be tried again.</summary>
    public void Requeue(StoreChange change) => Post(change);

    /// <summary>Notifications may have been missed (the listening connection was down): compare everything.</summary>
    public void ReloadAll()
    {
        Post(new StoreChange.AllSubscriptions());
        Post(new StoreChange.Services());
        Post(new StoreChange.AllSources());
    }

    /// <summary>The changes in order; after an overflow, once the queue is empty, the three full comparisons.</summary>
    public async IAsyncEnumerable<StoreChange> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = _changes.Reader;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            while (reader.TryRead(out var change))
            {
                if (change is not StoreChange.Overflowed)
                {
                    yield return change;
                }
            }

            if (Interlocked.Exchange(ref _overflowed, 0) == 1)
            {
                yield return new StoreChange.AllSubscriptions();
                yield return new StoreChange.Services();
                yield return new StoreChange.AllSources();
            }
        }
    }

    private void Post(StoreChange change)
    {
        if (!_changes.Writer.TryWrite(change))
        {
            Volatile.Write(ref _overflowed, 1);
            // Wakes the reader should it have drained the queue before the flag was set.
            _changes.Writer.TryWrite(new StoreChange.Overflowed());
        }
    }
}

/// <summary>One change another node made.</summary>
internal abstract record StoreChange
{
    /// <summary>A subscription was created, replaced, deleted, paused, resumed or disabled.</summary>
    public sealed record Subscription(string Id) : StoreChange;

    /// <summary>Any subscription may have changed.</summary>
    public sealed record AllSubscriptions : StoreChange;

    /// <summary>Registered Discovery services changed.</summary>
    public sealed record Services : StoreChange;

    /// <summary>An event source was added or deleted.</summary>
    public sealed record Source(string Id) : StoreChange;

    /// <summary>Any event source may have changed.</summary>
    public sealed record AllSources : StoreChange;

    /// <summary>The queue was full; the reader compares everything instead.</summary>
    public sealed record Overflowed : StoreChange;
}
