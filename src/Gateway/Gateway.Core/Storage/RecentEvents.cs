namespace Gateway.Storage;

/// <summary>
/// The most recently committed events, kept in memory so the dispatcher, which is usually right behind ingress,
/// reads them without a query and without parsing them again. A read that reaches past what is kept (after a
/// restart, or when the dispatcher fell far behind) goes to the store.
/// </summary>
internal sealed class RecentEvents(int capacity)
{
    private readonly Lock _lock = new();
    private readonly LoggedEvent[] _ring = new LoggedEvent[capacity];
    private int _start;
    private int _count;

    /// <summary>Adds committed events; positions only grow.</summary>
    public void Add(IEnumerable<LoggedEvent> events)
    {
        lock (_lock)
        {
            foreach (var logged in events)
            {
                if (_count == _ring.Length)
                {
                    _start = (_start + 1) % _ring.Length;
                    _count--;
                }

                _ring[(_start + _count) % _ring.Length] = logged;
                _count++;
            }
        }
    }

    /// <summary>
    /// Up to <paramref name="max"/> events after <paramref name="after"/>, when the kept ones continue from there
    /// without a gap; false when the store must answer. Positions are dense, so a missing one is an event this node
    /// did not append (another node's, on a shared store): the kept events stop at it and the store fills it in.
    /// "Nothing kept after it" is false too, never an empty answer, as only the store knows what others appended.
    /// </summary>
    public bool TryRead(long after, int max, out List<LoggedEvent> events)
    {
        events = [];
        lock (_lock)
        {
            var next = after + 1;
            for (var i = 0; i < _count && events.Count < max; i++)
            {
                var logged = _ring[(_start + i) % _ring.Length];
                if (logged.Position < next)
                {
                    continue;
                }

                if (logged.Position > next)
                {
                    break;
                }

                events.Add(logged);
                next++;
            }

            return events.Count > 0;
        }
    }
}
