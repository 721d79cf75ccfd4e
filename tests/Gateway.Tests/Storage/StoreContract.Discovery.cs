using System.Text.Json.Nodes;
using Gateway.Storage;
using static Gateway.Tests.Storage.StoreData;

namespace Gateway.Tests.Storage;

/// <summary><see cref="IDiscoveryStore"/>, and migrating a store that is already migrated.</summary>
public abstract partial class StoreContract
{
    [Fact]
    public async Task Discovery_FirstLoad_CreatesTheSelfIdWithEpochOne()
    {
        var state = await Stores.Discovery.LoadAsync(Ct);

        Assert.False(string.IsNullOrWhiteSpace(state.SelfId));
        Assert.Equal(1, state.SelfEpoch);
        Assert.Empty(state.Services);
        Assert.Empty(state.Events);
    }

    [Fact]
    public async Task Discovery_SelfId_StaysTheSameAcrossLoadsAndRestarts()
    {
        var first = await Stores.Discovery.LoadAsync(Ct);
        var second = await Stores.Discovery.LoadAsync(Ct);
        var reopened = await ReopenAsync();
        var third = await reopened.Discovery.LoadAsync(Ct);

        Assert.Equal(first.SelfId, second.SelfId);
        Assert.Equal(first.SelfId, third.SelfId);
        Assert.Equal(1, third.SelfEpoch);
    }

    [Fact]
    public async Task Discovery_SaveServices_UpsertsAndDeletesInOneCall()
    {
        var store = Stores.Discovery;
        await store.SaveServicesAsync([Service("svc-a", "v1"), Service("svc-b", "v1")], [], Ct);
        AssertServices([Service("svc-a", "v1"), Service("svc-b", "v1")], await ServicesAsync(store));

        await store.SaveServicesAsync([Service("svc-a", "v2"), Service("svc-c", "v1")], ["svc-b", "svc-unknown"], Ct);

        AssertServices([Service("svc-a", "v2"), Service("svc-c", "v1")], await ServicesAsync(store));
        var reopened = await ReopenAsync();
        AssertServices([Service("svc-a", "v2"), Service("svc-c", "v1")], await ServicesAsync(reopened.Discovery));
    }

    [Fact]
    public async Task Discovery_SaveServices_StoresNothingWhenTheCallFails()
    {
        var store = Stores.Discovery;
        await store.SaveServicesAsync([Service("svc-a", "v1")], [], Ct);

        // A service without its id cannot be stored: the upsert before it and the delete must not happen either.
        var invalid = new JsonObject { ["name"] = "no id" };
        await Assert.ThrowsAnyAsync<Exception>(
            () => store.SaveServicesAsync([Service("svc-b", "v1"), invalid], ["svc-a"], Ct));

        AssertServices([Service("svc-a", "v1")], await ServicesAsync(store));
    }

    [Fact]
    public async Task Discovery_SaveSelf_ReplacesTheEpochAndTheLearnedEventTypes()
    {
        var store = Stores.Discovery;
        var selfId = (await store.LoadAsync(Ct)).SelfId;
        KnownEventType[] learned =
        [
            new("com.example.a", "application/json", "https://example.com/a.json", 1_700_000_000_001),
            new("com.example.b", null, null, 1_700_000_000_002),
        ];

        await store.SaveSelfAsync(5, learned, Ct);

        var saved = await store.LoadAsync(Ct);
        Assert.Equal((selfId, 5L), (saved.SelfId, saved.SelfEpoch));
        Assert.Equal(learned, saved.Events.OrderBy(e => e.Type, StringComparer.Ordinal));

        await store.SaveSelfAsync(6, [new("com.example.c", "text/plain", null, 1_700_000_000_003)], Ct);

        var reopened = await ReopenAsync();
        var replaced = await reopened.Discovery.LoadAsync(Ct);
        Assert.Equal((selfId, 6L), (replaced.SelfId, replaced.SelfEpoch));
        Assert.Equal([new KnownEventType("com.example.c", "text/plain", null, 1_700_000_000_003)], replaced.Events);
    }

    [Fact]
    public async Task Migrate_AgainOnAMigratedStore_KeepsTheDataAndTheStoresWork()
    {
        await Stores.Subscriptions.AddAsync(Subscription("sub-1"), Ct);
        await Stores.Log.AppendAsync([Event("e-1")], Ct);
        var selfId = (await Stores.Discovery.LoadAsync(Ct)).SelfId;

        // Every open migrates: the second and third find nothing left to do.
        await ReopenAsync();
        var reopened = await ReopenAsync();

        Assert.NotNull(await reopened.Subscriptions.FindAsync("sub-1", Ct));
        Assert.Equal(["e-1"], (await reopened.Log.ReadAsync(0, 0, 10, Ct)).Select(e => e.Event.Id));
        Assert.Equal(selfId, (await reopened.Discovery.LoadAsync(Ct)).SelfId);
        await reopened.Subscriptions.AddAsync(Subscription("sub-2"), Ct);
        Assert.Equal(2, (await reopened.Subscriptions.ListAsync(Ct)).Count);
    }

    /// <summary>A registered service: the store keeps the document whole, keyed by its <c>id</c>.</summary>
    private static JsonObject Service(string id, string version) => new()
    {
        ["id"] = id,
        ["name"] = id.ToUpperInvariant(),
        ["epoch"] = version == "v1" ? 1 : 2,
        ["specversion"] = "1.0-wip",
        ["metadata"] = new JsonObject { ["version"] = version, ["tags"] = new JsonArray("x", "y") },
    };

    /// <summary>The stored services in id order (the contract does not order them).</summary>
    private async Task<List<JsonObject>> ServicesAsync(IDiscoveryStore store) =>
        [.. (await store.LoadAsync(Ct)).Services.OrderBy(s => (string?)s["id"], StringComparer.Ordinal)];

    /// <summary>Equal documents, key order aside: services are served as JSON values, not stored text.</summary>
    private static void AssertServices(JsonObject[] expected, List<JsonObject> actual) =>
        Assert.Equal(expected, actual, (a, b) => JsonNode.DeepEquals(a, b));
}
