using System.Threading.Channels;

namespace Gateway.Storage.Postgres;

/// <summary>What other nodes changed in the shared store, as their <c>NOTIFY</c>s said.</summary>
internal sealed class StoreChanges
{
    private readonly Channel<StoreChange> _changes = Channel.CreateUnbounded<StoreChange>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<StoreChange> Reader => _changes.Reader;

    public void SubscriptionChanged(string id) => _changes.Writer.TryWrite(new StoreChange.Subscription(id));

    public void ServicesChanged() => _changes.Writer.TryWrite(new StoreChange.Services());

    public void SourceChanged(string id) => _changes.Writer.TryWrite(new StoreChange.Source(id));

    /// <summary>A change that could not be applied yet, to be tried again.</summary>
    public void Requeue(StoreChange change) => _changes.Writer.TryWrite(change);

    /// <summary>Notifications may have been missed (the listening connection was down): compare everything.</summary>
    public void ReloadAll()
    {
        _changes.Writer.TryWrite(new StoreChange.AllSubscriptions());
        _changes.Writer.TryWrite(new StoreChange.Services());
        _changes.Writer.TryWrite(new StoreChange.AllSources());
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
}
