using Gateway.Protocols.Abstractions;
using Gateway.Storage;

namespace Gateway.Sources;

/// <summary>
/// A source's state in the store. Sources declared in configuration are not stored, so theirs lives only as long as
/// the process.
/// </summary>
internal sealed class StoredSourceState(ISourceStore store, string id, bool declared) : ISourceState
{
    private string? _inMemory;

    public async Task<string?> LoadAsync(CancellationToken cancellationToken) =>
        declared ? _inMemory : (await store.FindAsync(id, cancellationToken))?.State;

    public async Task SaveAsync(string state, CancellationToken cancellationToken)
    {
        if (declared)
        {
            _inMemory = state;
            return;
        }

        await store.SaveStateAsync(id, state, cancellationToken);
    }
}
