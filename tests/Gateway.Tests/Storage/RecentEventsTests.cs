using Gateway.Storage;
using static Gateway.Tests.Storage.StoreData;

namespace Gateway.Tests.Storage;

/// <summary>
/// The in-memory tail of the log the dispatcher reads first: it answers only for a run of positions without a gap,
/// because a missing position is an event another node appended (a shared store), which only the store knows.
/// </summary>
public sealed class RecentEventsTests
{
    private static LoggedEvent At(long position) => new(position, Event($"e-{position}"));

    [Fact]
    public void Read_AnswersFromTheKeptRun_UpToMax()
    {
        var recent = new RecentEvents(16);
        recent.Add([At(1), At(2), At(3), At(4)]);

        Assert.True(recent.TryRead(1, 2, out var events));
        Assert.Equal([2L, 3L], events.Select(e => e.Position));
    }

    [Fact]
    public void Read_StopsAtAGap_AndLeavesWhatIsBehindItToTheStore()
    {
        var recent = new RecentEvents(16);
        recent.Add([At(1), At(2), At(5), At(6)]);

        Assert.True(recent.TryRead(0, 10, out var beforeGap));
        Assert.Equal([1L, 2L], beforeGap.Select(e => e.Position));
        Assert.False(recent.TryRead(2, 10, out _));
        Assert.True(recent.TryRead(4, 10, out var afterGap));
        Assert.Equal([5L, 6L], afterGap.Select(e => e.Position));
    }

    [Fact]
    public void Read_NothingKeptAfterThePosition_IsForTheStoreToAnswer()
    {
        var recent = new RecentEvents(16);
        recent.Add([At(1), At(2)]);

        // Another node may have appended position 3: "nothing new" is never answered from memory.
        Assert.False(recent.TryRead(2, 10, out _));
        Assert.False(new RecentEvents(4).TryRead(0, 10, out _));
    }

    [Fact]
    public void Read_BehindWhatIsKept_IsForTheStore()
    {
        var recent = new RecentEvents(2);
        recent.Add([At(1), At(2), At(3)]);

        Assert.False(recent.TryRead(0, 10, out _));
        Assert.True(recent.TryRead(1, 10, out var kept));
        Assert.Equal([2L, 3L], kept.Select(e => e.Position));
    }
}
