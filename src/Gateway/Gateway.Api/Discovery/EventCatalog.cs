using System.Collections.Concurrent;
using System.Threading.Channels;
using Gateway.Protocols.CloudEvents;
using Gateway.Storage;

namespace Gateway.Discovery;

/// <summary>
/// The event types the gateway has seen at ingress, for its own Discovery entry. Traffic is untrusted: at most a
/// configured number of types is kept, the least recently seen dropped first, and learning never slows ingress: a
/// known type costs one dictionary look-up, a new one a non-blocking write to a bounded queue (dropped when full).
/// </summary>
internal sealed partial class EventCatalog(IDiscoveryStore store, TimeProvider time, DiscoveryOptions options, ILogger<EventCatalog> logger)
    : BackgroundService
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, Entry> _known = new(StringComparer.Ordinal);
    private readonly Channel<KnownEventType> _observed = Channel.CreateBounded<KnownEventType>(
        new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private long _epoch;
    private bool _dirty;

    /// <summary>The epoch of the gateway's own entry: it grows whenever what it describes changes.</summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    /// <summary>Restores what was learned before the restart.</summary>
    public void Restore(DiscoveryState state)
    {
        Interlocked.Exchange(ref _epoch, state.SelfEpoch);
        foreach (var known in state.Events)
        {
            _known[known.Type] = new Entry(known.DataContentType, known.DataSchema) { LastSeen = known.LastSeen };
        }
    }

    /// <summary>Called for every accepted event.</summary>
    public void Observe(CloudEvent cloudEvent)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (_known.TryGetValue(cloudEvent.Type, out var entry)
            && entry.DataContentType == cloudEvent.DataContentType && entry.DataSchema == cloudEvent.DataSchema)
        {
            entry.LastSeen = now;
            return;
        }

        _observed.Writer.TryWrite(new KnownEventType(cloudEvent.Type, cloudEvent.DataContentType, cloudEvent.DataSchema, now));
    }

    /// <summary>The known types, most recently seen first.</summary>
    public IReadOnlyList<KnownEventType> Snapshot() =>
        [.. _known.Select(k => new KnownEventType(k.Key, k.Value.DataContentType, k.Value.DataSchema, k.Value.LastSeen))
            .OrderByDescending(k => k.LastSeen).ThenBy(k => k.Type, StringComparer.Ordinal)];

    /// <summary>Counts a change of the gateway's own entry that is not about event types.</summary>
    public void Changed()
    {
        Interlocked.Increment(ref _epoch);
        _dirty = true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                using var interval = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                interval.CancelAfter(FlushInterval);
                try
                {
                    while (await _observed.Reader.WaitToReadAsync(interval.Token))
                    {
                        while (_observed.Reader.TryRead(out var observed))
                        {
                            Learn(observed);
                        }
                    }
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // Time to flush.
                }

                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await FlushAsync(CancellationToken.None);
        }
    }

    private void Learn(KnownEventType observed)
    {
        _known[observed.Type] = new Entry(observed.DataContentType, observed.DataSchema) { LastSeen = observed.LastSeen };
        while (_known.Count > options.MaxEventTypes)
        {
            var oldest = _known.MinBy(k => k.Value.LastSeen).Key;
            _known.TryRemove(oldest, out _);
        }

        Changed();
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!_dirty)
        {
            return;
        }

        _dirty = false;
        try
        {
            await store.SaveSelfAsync(Epoch, Snapshot(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whichever store and however it reports it (Npgsql and SQLite throw a DbException, Marten wraps it): the
            // list is saved at the next flush; the database may be away for a while, and this must not stop the host.
            _dirty = true;
            Log.NotSaved(logger, ex);
        }
    }

    private sealed class Entry(string? dataContentType, string? dataSchema)
    {
        private long _lastSeen;

        public string? DataContentType => dataContentType;

        public string? DataSchema => dataSchema;

        public long LastSeen
        {
            get => Volatile.Read(ref _lastSeen);
            set => Volatile.Write(ref _lastSeen, value);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(30, LogLevel.Warning, "The learned event types could not be saved; trying again")]
        public static partial void NotSaved(ILogger logger, Exception exception);
    }
}

/// <summary>Discovery settings (<c>Gateway:Discovery:*</c>).</summary>
internal sealed record DiscoveryOptions
{
    /// <summary><c>Name</c>: the name of the gateway's own entry. Default <c>cloudevents-gateway</c>.</summary>
    public string Name { get; init; } = "cloudevents-gateway";

    /// <summary><c>MaxEventTypes</c>: how many learned event types are kept. Default 1000.</summary>
    public int MaxEventTypes { get; init; } = 1000;
}
