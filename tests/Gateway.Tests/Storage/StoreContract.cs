namespace Gateway.Tests.Storage;

/// <summary>
/// The behaviour every store implementation owes the gateway, written once: each derived class runs all of these facts
/// against its own stores, so the embedded and the PostgreSQL store cannot drift apart unnoticed. xunit makes one
/// instance per test, so the instance is the test's own storage: created before the test, deleted after it.
/// </summary>
public abstract partial class StoreContract : IAsyncLifetime
{
    /// <summary>Far above what any test needs: a store that hangs fails its test instead of stalling the run.</summary>
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _timeout =
        CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

    private readonly List<StoreSet> _opened = [];
    private StoreSet? _stores;

    protected StoreContract() => _timeout.CancelAfter(TestTimeout);

    /// <summary>The token for every store call of the test.</summary>
    private protected CancellationToken Ct => _timeout.Token;

    /// <summary>The stores the test works with (the latest opened).</summary>
    private protected StoreSet Stores => _stores ?? throw new InvalidOperationException("the stores open in InitializeAsync");

    public async ValueTask InitializeAsync()
    {
        await CreateStorageAsync(Ct);
        _stores = await OpenTrackedAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var set in _opened)
        {
            await set.CloseAsync();
        }

        await DeleteStorageAsync();
        _timeout.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Creates this test's empty storage.</summary>
    private protected abstract ValueTask CreateStorageAsync(CancellationToken cancellationToken);

    /// <summary>Opens new store instances on this test's storage, migrating it first as the gateway does on start.</summary>
    private protected abstract Task<StoreSet> OpenStoresAsync(CancellationToken cancellationToken);

    /// <summary>Removes this test's storage; every store on it is closed by then.</summary>
    private protected abstract ValueTask DeleteStorageAsync();

    /// <summary>
    /// Closes the current stores and opens new ones on the same storage, as a restarted node would: whatever the old
    /// instances kept in memory is gone, so what the new ones return came from the storage.
    /// </summary>
    private protected async Task<StoreSet> ReopenAsync()
    {
        await Stores.CloseAsync();
        _stores = await OpenTrackedAsync();
        return _stores;
    }

    private async Task<StoreSet> OpenTrackedAsync()
    {
        var set = await OpenStoresAsync(Ct);
        _opened.Add(set);
        return set;
    }
}
