using Gateway.Storage;
using static Gateway.Tests.Storage.StoreData;

namespace Gateway.Tests.Storage;

/// <summary><see cref="IDeliveryStore"/>: dead letters, redrive and a deleted subscription's leftovers.</summary>
public abstract partial class StoreContract
{
    [Fact]
    public async Task DeadLetters_Add_RemovesTheRetryItCameFrom()
    {
        var store = Stores.Deliveries;
        var given = await AddRetryAsync("sub-1", "e-1", T0);
        var waiting = await AddRetryAsync("sub-1", "e-2", T0);

        await store.AddDeadLetterAsync(Letter("sub-1", "e-1", T0), given.Id, Ct);

        Assert.Equal([waiting.Id], (await store.DueRetriesAsync("sub-1", T0, 10, Ct)).Select(r => r.Id));
        Assert.Equal(["e-1"], (await store.DeadLettersAsync("sub-1", Ct)).Select(d => d.Event.Id));
    }

    [Fact]
    public async Task DeadLetters_AddWithoutARetry_RemovesNoRetry()
    {
        var store = Stores.Deliveries;
        var first = await AddRetryAsync("sub-1", "e-1", T0);
        var second = await AddRetryAsync("sub-2", "e-2", T0);

        await store.AddDeadLetterAsync(Letter("sub-1", "e-3", T0), fromRetry: null, Ct);

        Assert.Equal([first.Id], (await store.DueRetriesAsync("sub-1", T0, 10, Ct)).Select(r => r.Id));
        Assert.Equal([second.Id], (await store.DueRetriesAsync("sub-2", T0, 10, Ct)).Select(r => r.Id));
        Assert.Equal(["e-3"], (await store.DeadLettersAsync("sub-1", Ct)).Select(d => d.Event.Id));
    }

    [Fact]
    public async Task DeadLetters_List_OldestFirstWithEveryField()
    {
        var store = Stores.Deliveries;
        var older = new DeadLetter("sub-1", Event("e-1", 1), "retries exhausted", 503, 11, T0, "Service Unavailable");
        var newer = new DeadLetter("sub-1", Event("e-2", 2), "rejected", null, 1, T0.AddSeconds(3), null);
        await store.AddDeadLetterAsync(older, null, Ct);
        await store.AddDeadLetterAsync(newer, null, Ct);
        await store.AddDeadLetterAsync(Letter("sub-2", "e-3", T0), null, Ct);

        var listed = await store.DeadLettersAsync("sub-1", Ct);

        Assert.Equal([Dead(older), Dead(newer)], listed.Select(Dead));
        Assert.Empty(await store.DeadLettersAsync("sub-3", Ct));
    }

    [Fact]
    public async Task DeadLetters_Redrive_MovesThemAllBackDueNowWithAFreshStart()
    {
        var store = Stores.Deliveries;
        await store.AddDeadLetterAsync(Letter("sub-1", "e-1", T0.AddHours(-2)), null, Ct);
        await store.AddDeadLetterAsync(Letter("sub-1", "e-2", T0.AddHours(-1)), null, Ct);
        await store.AddDeadLetterAsync(Letter("sub-2", "e-3", T0), null, Ct);
        var now = T0.AddDays(1);

        var moved = await store.RedriveAsync("sub-1", now, Ct);

        Assert.Equal(2, moved);
        Assert.Empty(await store.DeadLettersAsync("sub-1", Ct));
        Assert.Single(await store.DeadLettersAsync("sub-2", Ct));
        var retries = await store.DueRetriesAsync("sub-1", now, 10, Ct);
        Assert.Equal([Json(Event("e-1")), Json(Event("e-2"))], retries.Select(r => Json(r.Event)));

        // Attempts and the first attempt start over: the subscription's TTL counts from the first attempt, and the old
        // one would give a redriven event up again at once.
        Assert.All(retries, r => Assert.Equal(
            (0, Ms(now), Ms(now), (int?)null, (string?)null),
            (r.Attempts, Ms(r.Due), Ms(r.FirstAttempt), r.LastCode, r.LastReason)));
        Assert.Empty(await store.DueRetriesAsync("sub-1", now.AddMilliseconds(-1), 10, Ct));
        Assert.Equal(0, await store.RedriveAsync("sub-1", now, Ct));
    }

    [Fact]
    public async Task DeleteSubscription_RemovesOnlyThatSubscriptionsRetriesAndDeadLetters()
    {
        var store = Stores.Deliveries;
        await AddRetryAsync("sub-1", "e-1", T0);
        await store.AddDeadLetterAsync(Letter("sub-1", "e-2", T0), null, Ct);
        var kept = await AddRetryAsync("sub-2", "e-3", T0);
        await store.AddDeadLetterAsync(Letter("sub-2", "e-4", T0), null, Ct);

        await store.DeleteSubscriptionAsync("sub-1", Ct);

        Assert.Empty(await store.DueRetriesAsync("sub-1", T0.AddDays(1), 10, Ct));
        Assert.Empty(await store.DeadLettersAsync("sub-1", Ct));
        Assert.Null(await store.NextDueAsync("sub-1", Ct));
        Assert.Equal([kept.Id], (await store.DueRetriesAsync("sub-2", T0.AddDays(1), 10, Ct)).Select(r => r.Id));
        Assert.Equal(["e-4"], (await store.DeadLettersAsync("sub-2", Ct)).Select(d => d.Event.Id));
    }

    private static DeadLetter Letter(string subscriptionId, string eventId, DateTimeOffset time) =>
        new(subscriptionId, Event(eventId), "retries exhausted", 500, 3, time, "Internal Server Error");

    /// <summary>A dead letter as comparable values: the event as its JSON format, the time in milliseconds.</summary>
    private static (string SubscriptionId, string Event, string Reason, int? Code, int Attempts, long Time, string? Error) Dead(DeadLetter d) =>
        (d.SubscriptionId, Json(d.Event), d.Reason, d.Code, d.Attempts, Ms(d.Time), d.Error);
}
