using System.Text.Json.Nodes;
using Gateway.Storage;

namespace Gateway.Tests.Storage;

/// <summary><see cref="ISourceStore"/>: source documents and the state a source keeps between runs.</summary>
public abstract partial class StoreContract
{
    private const string SourceDocument = """
        {"id":"src-1","protocol":"HTTP","address":"http://127.0.0.1:9/state",
         "protocolsettings":{"interval":"PT30S"},"defaults":{"type":"com.example.changed","source":"/state"}}
        """;

    [Fact]
    public async Task Sources_Add_ListsInTheOrderAdded_AndFindsById()
    {
        foreach (var id in new[] { "src-c", "src-a", "src-b" })
        {
            Assert.True(await Stores.Sources.AddAsync(id, SourceDocument, Ct));
        }

        Assert.Equal(["src-c", "src-a", "src-b"], (await Stores.Sources.ListAsync(Ct)).Select(s => s.Id));
        var found = await Stores.Sources.FindAsync("src-a", Ct);
        Assert.NotNull(found);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(SourceDocument), JsonNode.Parse(found.Document)));
        Assert.Null(found.State);
        Assert.Null(await Stores.Sources.FindAsync("missing", Ct));
    }

    [Fact]
    public async Task Sources_AddingATakenId_IsRefused_AndKeepsTheFirst()
    {
        Assert.True(await Stores.Sources.AddAsync("src-1", SourceDocument, Ct));
        Assert.False(await Stores.Sources.AddAsync("src-1", """{"id":"src-1","other":true}""", Ct));

        var found = await Stores.Sources.FindAsync("src-1", Ct);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(SourceDocument), JsonNode.Parse(found!.Document)));
    }

    [Fact]
    public async Task Sources_State_IsReplaced_AndSurvivesARestart()
    {
        await Stores.Sources.AddAsync("src-1", SourceDocument, Ct);
        await Stores.Sources.SaveStateAsync("src-1", """{"ETag":"\"v1\""}""", Ct);
        await Stores.Sources.SaveStateAsync("src-1", """{"ETag":"\"v2\""}""", Ct);

        var reopened = await ReopenAsync();

        Assert.Equal("""{"ETag":"\"v2\""}""", (await reopened.Sources.FindAsync("src-1", Ct))!.State);
    }

    [Fact]
    public async Task Sources_Delete_RemovesTheSourceAndItsState()
    {
        await Stores.Sources.AddAsync("src-1", SourceDocument, Ct);
        await Stores.Sources.AddAsync("src-2", SourceDocument, Ct);
        await Stores.Sources.SaveStateAsync("src-1", "state", Ct);

        Assert.True(await Stores.Sources.DeleteAsync("src-1", Ct));
        Assert.False(await Stores.Sources.DeleteAsync("src-1", Ct));

        Assert.Null(await Stores.Sources.FindAsync("src-1", Ct));
        Assert.Equal(["src-2"], (await Stores.Sources.ListAsync(Ct)).Select(s => s.Id));
        Assert.True(await Stores.Sources.AddAsync("src-1", SourceDocument, Ct));
        Assert.Null((await Stores.Sources.FindAsync("src-1", Ct))!.State);
    }
}
