using System.Threading.Channels;

namespace Gateway.Storage.Postgres;

/// <summary>Subscriptions another node changed (ids from <c>NOTIFY</c>), or null for "reload them all".</summary>
internal sealed class SubscriptionChanges
{
    private readonly Channel<string?> _changes = Channel.CreateUnbounded<string?>(new UnboundedChannelOptions { SingleReader = true });

    public void Changed(string id) => _changes.Writer.TryWrite(id);

    /// <summary>Notifications may have been missed (the listening connection was down): compare everything.</summary>
    public void ReloadAll() => _changes.Writer.TryWrite(null);

    public ChannelReader<string?> Reader => _changes.Reader;
}
