using Gateway.Storage;
using static Gateway.Tests.Storage.StoreData;

namespace Gateway.Tests.Storage;

/// <summary><see cref="IDeliveryStore"/>: retries and dead letters. Times compare in milliseconds, what both stores keep.</summary>
public abstract partial class StoreContract
{
    [Fact]
    public async Task Retries_Add_ReturnsDistinctIdsAndKeepsEveryField()
    {
        var store = Stores.Deliveries;
        var plain = new RetryEntry(0, "sub-1", Event("e-1", 1), 1, T0, T0.AddSeconds(1));
        var failed = new RetryEntry(0, "sub-1", Event("e-2", 2), 2, T0.AddSeconds(-5), T0.AddSeconds(2), 503, "unavailable");

        var ids = new[]
        {
            await store.AddRetryAsync(plain, Ct),
            await store.AddRetryAsync(failed, Ct),
            await store.AddRetryAsync(plain with { SubscriptionId = "sub-2" }, Ct),
        };

        Assert.Equal(3, ids.Distinct().Count());
        var due = await store.DueRetriesAsync("sub-1", T0.AddMinutes(1), 10, Ct);
        Assert.Equal([Retry(plain with { Id = ids[0] }), Retry(failed with { Id = ids[1] })], due.Select(Retry));
    }

    [Fact]
    public async Task Retries_Due_RespectsNowOrderAndMax()
    {
        var store = Stores.Deliveries;
        var late = await AddRetryAsync("sub-1", "e-late", T0.AddSeconds(60));
        var third = await AddRetryAsync("sub-1", "e-third", T0.AddSeconds(5));
        var first = await AddRetryAsync("sub-1", "e-first", T0);
        var fourth = await AddRetryAsync("sub-1", "e-fourth", T0.AddSeconds(10));
        var second = await AddRetryAsync("sub-1", "e-second", T0.AddSeconds(-3));
        var fifth = await AddRetryAsync("sub-1", "e-fifth", T0.AddSeconds(10));
        await AddRetryAsync("sub-2", "e-other", T0.AddSeconds(-60));

        // Due then id: "fourth" and "fifth" are due at the same time, "fourth" was stored first. A retry due exactly
        // at now is due.
        var due = await store.DueRetriesAsync("sub-1", T0.AddSeconds(10), 10, Ct);
        Assert.Equal(["e-second", "e-first", "e-third", "e-fourth", "e-fifth"], due.Select(r => r.Event.Id));
        Assert.Equal([second.Id, first.Id, third.Id, fourth.Id, fifth.Id], due.Select(r => r.Id));
        Assert.DoesNotContain(late.Id, due.Select(r => r.Id));

        Assert.Equal([second.Id, first.Id], (await store.DueRetriesAsync("sub-1", T0.AddSeconds(10), 2, Ct)).Select(r => r.Id));
        Assert.Equal([second.Id], (await store.DueRetriesAsync("sub-1", T0.AddMilliseconds(-1), 10, Ct)).Select(r => r.Id));
        Assert.Empty(await store.DueRetriesAsync("sub-1", T0.AddSeconds(-4), 10, Ct));
        Assert.Empty(await store.DueRetriesAsync("sub-3", T0.AddDays(1), 10, Ct));
    }

    [Fact]
    public async Task Retries_Update_ChangesAttemptsDueAndLastFailureOnly()
    {
        var store = Stores.Deliveries;
        var stored = new RetryEntry(0, "sub-1", Event("e-1"), 1, T0, T0.AddSeconds(1));
        var id = await store.AddRetryAsync(stored, Ct);
        var other = await AddRetryAsync("sub-1", "e-2", T0.AddSeconds(2));

        // The first attempt and the event are not the update's to change, whatever the entry carries.
        await store.UpdateRetryAsync(
            new RetryEntry(id, "sub-1", Event("e-1-changed"), 4, T0.AddHours(1), T0.AddMinutes(3), 502, "bad gateway"), Ct);

        var due = await store.DueRetriesAsync("sub-1", T0.AddHours(2), 10, Ct);
        Assert.Equal(
            [Retry(new RetryEntry(id, "sub-1", Event("e-1"), 4, T0, T0.AddMinutes(3), 502, "bad gateway")), Retry(other)],
            [.. due.Select(Retry).OrderBy(r => r.Id != id)]);

        await store.UpdateRetryAsync(stored with { Id = id, Attempts = 5, Due = T0.AddMinutes(4) }, Ct);

        var cleared = (await store.DueRetriesAsync("sub-1", T0.AddHours(2), 10, Ct)).Single(r => r.Id == id);
        Assert.Equal((5, Ms(T0.AddMinutes(4)), (int?)null, (string?)null), (cleared.Attempts, Ms(cleared.Due), cleared.LastCode, cleared.LastReason));
    }

    [Fact]
    public async Task Retries_Remove_DeletesOnlyThoseRetries()
    {
        var store = Stores.Deliveries;
        var removed = await AddRetryAsync("sub-1", "e-1", T0);
        var alsoRemoved = await AddRetryAsync("sub-1", "e-2", T0);
        var kept = await AddRetryAsync("sub-1", "e-3", T0);

        await store.RemoveRetriesAsync([removed.Id, alsoRemoved.Id], Ct);
        await store.RemoveRetriesAsync([removed.Id], Ct);

        Assert.Equal([kept.Id], (await store.DueRetriesAsync("sub-1", T0, 10, Ct)).Select(r => r.Id));
    }

    [Fact]
    public async Task Retries_AddedTogether_AreStoredWithEveryField()
    {
        var store = Stores.Deliveries;
        RetryEntry[] parked =
        [
            new(0, "sub-1", Event("e-1", 1), 0, T0, T0, null, "waiting"),
            new(0, "sub-1", Event("e-2", 2), 3, T0.AddSeconds(-5), T0.AddSeconds(1), 503, "busy"),
            new(0, "sub-2", Event("e-3", 3), 0, T0, T0, null, null),
        ];

        await store.AddRetriesAsync(parked, Ct);

        var due = await store.DueRetriesAsync("sub-1", T0.AddSeconds(1), 10, Ct);
        Assert.Equal(
            parked[..2].Select(p => (Json(p.Event), p.Attempts, Ms(p.FirstAttempt), Ms(p.Due), p.LastCode, p.LastReason)),
            due.Select(r => (Json(r.Event), r.Attempts, Ms(r.FirstAttempt), Ms(r.Due), r.LastCode, r.LastReason)));
        Assert.Single(await store.DueRetriesAsync("sub-2", T0, 10, Ct));
    }

    [Fact]
    public async Task Retries_NextDue_IsTheEarliestOfTheSubscriptionOrNull()
    {
        var store = Stores.Deliveries;
        Assert.Null(await store.NextDueAsync("sub-1", Ct));

        await AddRetryAsync("sub-1", "e-1", T0.AddSeconds(30));
        var earliest = await AddRetryAsync("sub-1", "e-2", T0.AddSeconds(7));
        await AddRetryAsync("sub-2", "e-3", T0);

        Assert.Equal(Ms(T0.AddSeconds(7)), Ms(await store.NextDueAsync("sub-1", Ct)));

        await store.RemoveRetriesAsync([earliest.Id], Ct);
        Assert.Equal(Ms(T0.AddSeconds(30)), Ms(await store.NextDueAsync("sub-1", Ct)));
        Assert.Null(await store.NextDueAsync("sub-3", Ct));
    }

    [Fact]
    public async Task Retries_Backlog_CountsTheSubscriptionsRetriesAndTheOldestFirstAttempt()
    {
        var store = Stores.Deliveries;
        Assert.Equal((0, (long?)null), Backlog(await store.BacklogAsync("sub-1", Ct)));

        await store.AddRetryAsync(new RetryEntry(0, "sub-1", Event("e-1"), 1, T0.AddMinutes(-1), T0), Ct);
        await store.AddRetryAsync(new RetryEntry(0, "sub-1", Event("e-2"), 3, T0.AddMinutes(-9), T0.AddMinutes(5)), Ct);
        await store.AddRetryAsync(new RetryEntry(0, "sub-1", Event("e-3"), 2, T0.AddMinutes(-4), T0.AddMinutes(-2)), Ct);
        await store.AddRetryAsync(new RetryEntry(0, "sub-2", Event("e-4"), 1, T0.AddHours(-1), T0), Ct);

        Assert.Equal((3, Ms(T0.AddMinutes(-9))), Backlog(await store.BacklogAsync("sub-1", Ct)));
        Assert.Equal((1, Ms(T0.AddHours(-1))), Backlog(await store.BacklogAsync("sub-2", Ct)));
    }

    /// <summary>Stores a retry due at <paramref name="due"/> and returns it as stored.</summary>
    private async Task<RetryEntry> AddRetryAsync(string subscriptionId, string eventId, DateTimeOffset due)
    {
        var entry = new RetryEntry(0, subscriptionId, Event(eventId), 1, T0.AddMinutes(-1), due);
        return entry with { Id = await Stores.Deliveries.AddRetryAsync(entry, Ct) };
    }

    /// <summary>A retry as comparable values: the event as its JSON format, the times in milliseconds.</summary>
    private static (long Id, string SubscriptionId, string Event, int Attempts, long FirstAttempt, long Due, int? LastCode, string? LastReason) Retry(RetryEntry r) =>
        (r.Id, r.SubscriptionId, Json(r.Event), r.Attempts, Ms(r.FirstAttempt), Ms(r.Due), r.LastCode, r.LastReason);

    private static (long Count, long? Oldest) Backlog((long Count, DateTimeOffset? Oldest) backlog) =>
        (backlog.Count, Ms(backlog.Oldest));
}
