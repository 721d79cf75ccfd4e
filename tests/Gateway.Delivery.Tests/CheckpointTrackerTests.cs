using Gateway.Delivery;

namespace Gateway.Delivery.Tests;

/// <summary>
/// The checkpoint passes an event only once all its deliveries are finished (design.md, "Data flow"), whatever order
/// they finish in: after a crash, delivery resumes there and loses nothing.
/// </summary>
public sealed class CheckpointTrackerTests
{
    [Fact]
    public void EventsFinishingOutOfOrder_MoveTheCheckpointOnlyPastTheFinishedPrefix()
    {
        var tracker = new CheckpointTracker(checkpoint: 10);
        var first = tracker.Begin(11);
        var second = tracker.Begin(12);
        var third = tracker.Begin(13);

        second.Seal();
        third.Seal();
        var whileTheFirstRuns = tracker.Checkpoint;
        first.Seal();

        Assert.Equal(10, whileTheFirstRuns);
        Assert.Equal(13, tracker.Checkpoint);
    }

    [Fact]
    public void AnEventFannedOutToSeveralSubscriptions_FinishesWithItsLastDelivery_NotBefore()
    {
        var tracker = new CheckpointTracker(checkpoint: 0);
        var ticket = tracker.Begin(1);
        ticket.Hold();
        ticket.Hold();

        ticket.Release();
        ticket.Seal();
        var oneDeliveryLeft = tracker.Checkpoint;
        ticket.Release();

        Assert.Equal(0, oneDeliveryLeft);
        Assert.Equal(1, tracker.Checkpoint);
    }

    [Fact]
    public void WhileDeliveriesAreStillBeingHandedOut_TheEventIsNotFinished()
    {
        var tracker = new CheckpointTracker(checkpoint: 0);
        var ticket = tracker.Begin(1);
        ticket.Hold();

        ticket.Release();
        var beforeSeal = tracker.Checkpoint;
        ticket.Seal();

        Assert.Equal(0, beforeSeal);
        Assert.Equal(1, tracker.Checkpoint);
    }

    [Fact]
    public void WithNothingOutstanding_TheCheckpointIsTheLastDispatchedPosition()
    {
        var tracker = new CheckpointTracker(checkpoint: 41);

        tracker.Begin(42).Seal();

        Assert.Equal(42, tracker.Checkpoint);
    }
}
