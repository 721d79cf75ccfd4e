using System.Threading.Channels;

namespace Gateway.Storage.Postgres;

/// <summary>
/// Wakes the dispatcher of a partition when events were appended to it, here or (through <c>NOTIFY</c>) on
/// another node.
/// </summary>
internal sealed class AppendSignals
{
    private readonly Channel<bool>[] _partitions = [.. Enumerable.Range(0, PostgresDatabase.PartitionCount)
        .Select(_ => Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite }))];

    public void Signal(int partition) => _partitions[partition].Writer.TryWrite(true);

    public async Task WaitAsync(int partition, CancellationToken cancellationToken) =>
        await _partitions[partition].Reader.ReadAsync(cancellationToken);
}
