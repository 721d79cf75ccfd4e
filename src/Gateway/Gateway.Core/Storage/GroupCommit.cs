using System.Threading.Channels;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Json;

namespace Gateway.Storage;

/// <summary>
/// Group commit for an event log: appends wait in a queue, and one writer hands everything queued (up to a limit) to
/// the store's commit as one group, so many concurrent requests share one durable commit. Each producer hears of its
/// own append only when the group's commit is done, or failed.
/// </summary>
internal sealed class GroupCommit : IAsyncDisposable
{
    private const int MaxAppendsPerCommit = 512;

    private readonly Channel<PendingAppend> _appends = Channel.CreateBounded<PendingAppend>(
        new BoundedChannelOptions(8192) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Func<IReadOnlyList<PendingAppend>, Task> _commit;
    private readonly Task _writer;

    /// <param name="commit">Commits one group durably, in one transaction, or throws.</param>
    public GroupCommit(Func<IReadOnlyList<PendingAppend>, Task> commit)
    {
        _commit = commit;
        _writer = Task.Run(WriteLoopAsync);
    }

    public async ValueTask AppendAsync(IReadOnlyList<CloudEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        // Serialize on the caller's thread so the single writer only writes.
        var pending = new PendingAppend(events, [.. events.Select(JsonEventFormat.ToUtf8Bytes)]);
        await _appends.Writer.WriteAsync(pending, cancellationToken);
        await pending.Committed.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _appends.Writer.TryComplete();
        await _writer;
    }

    private async Task WriteLoopAsync()
    {
        var group = new List<PendingAppend>(MaxAppendsPerCommit);
        while (await _appends.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < MaxAppendsPerCommit && _appends.Reader.TryRead(out var pending))
            {
                group.Add(pending);
            }

            try
            {
                await _commit(group);
                group.ForEach(p => p.Committed.TrySetResult());
            }
            catch (Exception ex)
            {
                // The producers of this group get the error (their requests fail, nothing was acknowledged); the
                // writer goes on with the next group, so one failed commit never stalls ingress.
                group.ForEach(p => p.Committed.TrySetException(ex));
            }
        }
    }
}

/// <summary>One producer's events waiting for the group commit, with their serialized form.</summary>
internal sealed class PendingAppend(IReadOnlyList<CloudEvent> events, byte[][] serialized)
{
    public IReadOnlyList<CloudEvent> Events { get; } = events;

    public byte[][] Serialized { get; } = serialized;

    public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
