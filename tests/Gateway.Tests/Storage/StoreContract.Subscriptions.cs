using Gateway.Subscriptions;
using static Gateway.Tests.Storage.StoreData;

namespace Gateway.Tests.Storage;

/// <summary><see cref="Gateway.Storage.ISubscriptionStore"/>.</summary>
public abstract partial class StoreContract
{
    /// <summary>Long enough for the clock to pass a millisecond, the precision of the stored state time.</summary>
    private static readonly TimeSpan ClockStep = TimeSpan.FromMilliseconds(20);

    [Fact]
    public async Task Subscriptions_List_ReturnsAllInTheOrderTheyWereAdded()
    {
        var store = Stores.Subscriptions;
        Assert.Empty(await store.ListAsync(Ct));

        // Added back to back and against their alphabetical order: a store that orders by a coarse creation time (a
        // millisecond holds several adds) and breaks ties by id returns some of them sorted by id instead.
        string[] ids = [.. Enumerable.Range(0, 12).Select(i => $"sub-{11 - i:D2}")];
        foreach (var id in ids)
        {
            await store.AddAsync(Subscription(id), Ct);
        }

        var listed = await store.ListAsync(Ct);

        Assert.Equal(ids, listed.Select(s => s.Subscription.Id));
        Assert.All(listed, s => Assert.Null(s.DisabledReason));
        Assert.All(listed, s => Assert.False(s.Paused));
    }

    [Fact]
    public async Task Subscriptions_Find_ReturnsTheOneWithThatIdOrNull()
    {
        var store = Stores.Subscriptions;
        var before = DateTimeOffset.UtcNow;
        await store.AddAsync(Subscription("sub-1", "http://127.0.0.1:9/one"), Ct);
        await store.AddAsync(Subscription("sub-2", "http://127.0.0.1:9/two"), Ct);

        var found = await store.FindAsync("sub-2", Ct);

        Assert.NotNull(found);
        Assert.Equal("http://127.0.0.1:9/two", found.Subscription.Sink);
        Assert.Null(found.DisabledReason);
        Assert.False(found.Paused);
        Assert.InRange(found.StateChanged, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Null(await store.FindAsync("sub-3", Ct));
    }

    [Fact]
    public async Task Subscriptions_Document_RoundTripsAsEqualJson()
    {
        var subscription = SubscriptionJson.FromStored(RichDocument);
        await Stores.Subscriptions.AddAsync(subscription, Ct);

        var found = await Stores.Subscriptions.FindAsync(subscription.Id, Ct);
        var listed = Assert.Single(await Stores.Subscriptions.ListAsync(Ct));

        // Equal as JSON, not as text: jsonb keeps an object's members in its own order.
        Assert.NotNull(found);
        Assert.True(SubscriptionJson.SameDocument(subscription, found.Subscription), SubscriptionJson.ToStored(found.Subscription));
        Assert.True(SubscriptionJson.SameDocument(subscription, listed.Subscription), SubscriptionJson.ToStored(listed.Subscription));
    }

    [Fact]
    public async Task Subscriptions_Owner_IsKept_AndOldDocumentsBelongToTheOpenPrincipal()
    {
        // The tenant is part of the stored document, so every node and every restart sees it.
        await Stores.Subscriptions.AddAsync(Subscription("sub-1") with { Owner = "team-a" }, Ct);
        await Stores.Subscriptions.AddAsync(SubscriptionJson.FromStored(RichDocument), Ct);

        var owned = await Stores.Subscriptions.FindAsync("sub-1", Ct);
        var old = await Stores.Subscriptions.FindAsync(SubscriptionJson.FromStored(RichDocument).Id, Ct);

        Assert.Equal("team-a", owned?.Subscription.Owner);
        Assert.Equal("open", old?.Subscription.Owner);
    }

    [Fact]
    public async Task Subscriptions_Replace_ChangesTheDocumentAndEnablesItAgain()
    {
        var store = Stores.Subscriptions;
        await store.AddAsync(Subscription("sub-1", "http://127.0.0.1:9/old"), Ct);
        await store.DisableAsync("sub-1", "the sink answered 410 Gone", Ct);
        var disabled = await store.FindAsync("sub-1", Ct);
        await Task.Delay(ClockStep, Ct);

        var replaced = await store.ReplaceAsync(Subscription("sub-1", "http://127.0.0.1:9/new"), Ct);

        Assert.True(replaced);
        var found = await store.FindAsync("sub-1", Ct);
        Assert.NotNull(found);
        Assert.Equal("http://127.0.0.1:9/new", found.Subscription.Sink);
        Assert.Null(found.DisabledReason);
        Assert.True(found.StateChanged > disabled!.StateChanged, "enabling again is a change of state");
    }

    [Fact]
    public async Task Subscriptions_Replace_IsFalseAndStoresNothingWhenTheIdIsUnknown()
    {
        var replaced = await Stores.Subscriptions.ReplaceAsync(Subscription("sub-missing"), Ct);

        Assert.False(replaced);
        Assert.Null(await Stores.Subscriptions.FindAsync("sub-missing", Ct));
        Assert.Empty(await Stores.Subscriptions.ListAsync(Ct));
    }

    [Fact]
    public async Task Subscriptions_Delete_IsTrueOnceThenFalse()
    {
        var store = Stores.Subscriptions;
        await store.AddAsync(Subscription("sub-1"), Ct);
        await store.AddAsync(Subscription("sub-2"), Ct);

        Assert.True(await store.DeleteAsync("sub-1", Ct));
        Assert.False(await store.DeleteAsync("sub-1", Ct));
        Assert.Null(await store.FindAsync("sub-1", Ct));
        Assert.Equal(["sub-2"], (await store.ListAsync(Ct)).Select(s => s.Subscription.Id));
    }

    [Fact]
    public async Task Subscriptions_Disable_KeepsTheReasonAcrossARestartAndMovesStateChanged()
    {
        await Stores.Subscriptions.AddAsync(Subscription("sub-1"), Ct);
        await Stores.Subscriptions.AddAsync(Subscription("sub-2"), Ct);
        var before = await Stores.Subscriptions.FindAsync("sub-1", Ct);
        await Task.Delay(ClockStep, Ct);

        await Stores.Subscriptions.DisableAsync("sub-1", "the sink answered 410 Gone", Ct);

        var reopened = await ReopenAsync();
        var found = await reopened.Subscriptions.FindAsync("sub-1", Ct);
        Assert.NotNull(found);
        Assert.Equal("the sink answered 410 Gone", found.DisabledReason);
        Assert.True(found.StateChanged > before!.StateChanged, "disabling is a change of state");
        var listed = await reopened.Subscriptions.ListAsync(Ct);
        Assert.Equal(["the sink answered 410 Gone", null], listed.Select(s => s.DisabledReason));
    }

    [Fact]
    public async Task Subscriptions_SetPaused_PersistsAndMovesStateChanged()
    {
        var store = Stores.Subscriptions;
        await store.AddAsync(Subscription("sub-1"), Ct);
        await store.AddAsync(Subscription("sub-2"), Ct);
        var added = await store.FindAsync("sub-1", Ct);
        await Task.Delay(ClockStep, Ct);

        await store.SetPausedAsync("sub-1", paused: true, Ct);

        var reopened = await ReopenAsync();
        var paused = await reopened.Subscriptions.FindAsync("sub-1", Ct);
        Assert.NotNull(paused);
        Assert.True(paused.Paused);
        Assert.Null(paused.DisabledReason);
        Assert.True(paused.StateChanged > added!.StateChanged, "pausing is a change of state");
        Assert.False((await reopened.Subscriptions.FindAsync("sub-2", Ct))!.Paused);

        await Task.Delay(ClockStep, Ct);
        await reopened.Subscriptions.SetPausedAsync("sub-1", paused: false, Ct);

        var resumed = await reopened.Subscriptions.FindAsync("sub-1", Ct);
        Assert.False(resumed!.Paused);
        Assert.True(resumed.StateChanged > paused.StateChanged, "resuming is a change of state");
    }
}
