namespace Gateway.Delivery;

/// <summary>
/// Knows which dispatched log positions are still being delivered, so the checkpoint only moves past events whose
/// deliveries are all finished (design.md, "Data flow").
/// </summary>
internal sealed class CheckpointTracker(long checkpoint)
{
    private readonly Lock _lock = new();
    private readonly SortedSet<long> _outstanding = [];
    private long _highestDispatched = checkpoint;

    /// <summary>Everything at or below this position is finished.</summary>
    public long Checkpoint
    {
        get
        {
            lock (_lock)
            {
                return _outstanding.Count == 0 ? _highestDispatched : _outstanding.Min - 1;
            }
        }
    }

    /// <summary>Starts tracking the event at <paramref name="position"/>; positions arrive in increasing order.</summary>
    public EventTicket Begin(long position)
    {
        lock (_lock)
        {
            _outstanding.Add(position);
            _highestDispatched = position;
        }

        return new EventTicket(this, position);
    }

    internal void Finish(long position)
    {
        lock (_lock)
        {
            _outstanding.Remove(position);
        }
    }
}

/// <summary>
/// Counts the deliveries of one event still running. It starts with one hold for the dispatcher, released by
/// <see cref="Seal"/> once every delivery was handed out, so the event cannot finish while it is being fanned out.
/// </summary>
internal sealed class EventTicket(CheckpointTracker tracker, long position)
{
    private int _holds = 1;

    /// <summary>Adds one delivery.</summary>
    public void Hold() => Interlocked.Increment(ref _holds);

    /// <summary>One delivery finished (delivered, or given up on).</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _holds) == 0)
        {
            tracker.Finish(position);
        }
    }

    /// <summary>Every delivery was handed out.</summary>
    public void Seal() => Release();
}
