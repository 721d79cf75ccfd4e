namespace Gateway.Protocols.Http;

/// <summary>Spaces requests so that no more than a granted number go out per minute.</summary>
internal sealed class RatePacer
{
    private readonly Lock _lock = new();
    private TimeSpan _interval;
    private DateTimeOffset _next;

    /// <summary>Sets the rate; null means unlimited.</summary>
    public void SetRate(int? perMinute)
    {
        lock (_lock)
        {
            _interval = perMinute is > 0 ? TimeSpan.FromMinutes(1) / perMinute.Value : TimeSpan.Zero;
        }
    }

    /// <summary>Waits until the next request may go.</summary>
    public ValueTask WaitTurnAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_lock)
        {
            if (_interval == TimeSpan.Zero)
            {
                return ValueTask.CompletedTask;
            }

            var now = DateTimeOffset.UtcNow;
            var slot = _next > now ? _next : now;
            _next = slot + _interval;
            wait = slot - now;
        }

        return wait <= TimeSpan.Zero ? ValueTask.CompletedTask : new ValueTask(Task.Delay(wait, cancellationToken));
    }
}
