using System.Text;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Json;
using Gateway.Protocols.Mqtt;
using Gateway.Testing;

namespace Gateway.Protocols.Tests.Sources;

/// <summary>
/// The MQTT sources against a real Mosquitto: the binding in both versions, shared subscriptions across nodes, and
/// QoS 1 at least once through persistent sessions (PUBACK only after the append).
/// </summary>
public sealed class MqttSourceTests(MosquittoFixture mqtt) : IClassFixture<MosquittoFixture>
{
    private static CloudEvent Event(string id) => JsonEventFormat.Parse(Encoding.UTF8.GetBytes($$$"""
        {"specversion":"1.0","id":"{{{id}}}","source":"/mqtt/tests","type":"com.example.sourced","subject":"Euro €","datacontenttype":"application/json","data":{"id":"{{{id}}}"}}
        """));

    /// <summary>A source spec on a new topic filter <c>&lt;prefix&gt;/#</c>.</summary>
    private (string Prefix, SourceSpec Spec) NewSource(MqttVersion version = MqttVersion.V500)
    {
        var prefix = "src/" + Guid.NewGuid().ToString("N");
        var spec = SourceSpecs.Create(mqtt.Broker.Url, $$"""{"topicfilter":"{{prefix}}/#"}""");
        Assert.Empty(SourceSpecs.Validate(new MqttSourceBinding(version, "validation", OutboundGuard.AllowingAll), spec));
        return (prefix, spec);
    }

    private static IEventSource Source(SourceSpec spec, string node, MqttVersion version = MqttVersion.V500) =>
        new MqttSourceBinding(version, node, OutboundGuard.AllowingAll).CreateSource(spec);

    [Fact]
    public async Task Mqtt5_BinaryStructuredAndPlainMessages_BecomeEvents()
    {
        var (prefix, spec) = NewSource();
        var appender = new RecordingAppender();
        await using var run = new SourceRun(Source(spec, "a"), appender);
        await run.ConnectedAsync();

        await mqtt.PublishAsync(MqttCloudEventMessage.ToBinary(Event("b-1"), $"{prefix}/binary"));
        await mqtt.PublishAsync(MqttCloudEventMessage.ToStructured(Event("s-1"), $"{prefix}/structured", MqttVersion.V500));
        await mqtt.PublishAsync(MqttTestClient.Message($"{prefix}/plain", "21.5"u8.ToArray(), "text/plain"));
        var events = await appender.WaitForAsync(3);

        SameEvent.Assert(Event("b-1"), events[0]);
        SameEvent.Assert(Event("s-1"), events[1]);
        Assert.Equal((SourceSpecs.Defaults.Type, SourceSpecs.Defaults.Source, $"{prefix}/plain", "text/plain"),
            (events[2].Type, events[2].Source, events[2].Subject, events[2].DataContentType));
        Assert.Equal("21.5", Encoding.UTF8.GetString(events[2].Data.Bytes.Span));
    }

    [Fact]
    public async Task Mqtt3_StructuredAndPlainMessages_BecomeEvents_AndAnInvalidEventIsWrapped()
    {
        var (prefix, spec) = NewSource(MqttVersion.V311);
        var appender = new RecordingAppender();
        await using var run = new SourceRun(Source(spec, "a", MqttVersion.V311), appender);
        await run.ConnectedAsync();

        await mqtt.PublishAsync(MqttCloudEventMessage.ToStructured(Event("s-3"), $"{prefix}/structured", MqttVersion.V311), MqttVersion.V311);
        await mqtt.PublishAsync(MqttTestClient.Message($"{prefix}/plain", """{"temperature":21.5}"""u8.ToArray()), MqttVersion.V311);
        await mqtt.PublishAsync(MqttTestClient.Message($"{prefix}/bad", """{"specversion":"0.3"}"""u8.ToArray()), MqttVersion.V311);
        var events = await appender.WaitForAsync(3);

        SameEvent.Assert(Event("s-3"), events[0]);
        Assert.Equal([SourceSpecs.Defaults.Type, SourceSpecs.Defaults.Type], events.Skip(1).Select(e => e.Type));
        Assert.Equal("""{"specversion":"0.3"}""", Encoding.UTF8.GetString(events[2].Data.Bytes.Span));
        Assert.Contains("specversion", run.Health.Snapshot.LastError);
    }

    [Theory]
    [InlineData(MqttVersion.V500)]
    [InlineData(MqttVersion.V311)]
    public async Task SharedSubscription_TwoNodesSplitTheMessages_EachToExactlyOne(MqttVersion version)
    {
        var (prefix, spec) = NewSource(version);
        var log = new RecordingAppender();
        await using var a = new SourceRun(Source(spec, "a", version), log.Node("a"));
        await using var b = new SourceRun(Source(spec, "b", version), log.Node("b"));
        await a.ConnectedAsync();
        await b.ConnectedAsync();

        var ids = Enumerable.Range(0, 20).Select(i => $"share-{i}").ToList();
        foreach (var id in ids)
        {
            await mqtt.PublishAsync(MqttCloudEventMessage.ToStructured(Event(id), $"{prefix}/t", version), version);
        }

        var events = await log.WaitForAsync(ids.Count);

        Assert.Equal(ids.Order(), events.Select(e => e.Id).Order());
        Assert.Equal(["a", "b"], events.Select(RecordingAppender.NodeOf).Distinct().Order());
    }

    [Fact]
    public async Task Qos1_PubackOnlyAfterTheAppend_AMessageHeldWhenTheNodeStopsComesAgain()
    {
        var (prefix, spec) = NewSource();
        var appender = new RecordingAppender();
        appender.HoldNext();
        await using (var stopped = new SourceRun(Source(spec, "a"), appender))
        {
            await stopped.ConnectedAsync();
            await mqtt.PublishAsync(MqttCloudEventMessage.ToBinary(Event("held-1"), $"{prefix}/t"));
            await appender.WaitForAsync(1);
        }

        await using var next = new SourceRun(Source(spec, "a"), appender);
        var events = await appender.WaitForAsync(2);

        Assert.Equal(["held-1", "held-1"], events.Select(e => e.Id));
    }

    [Fact]
    public async Task AFailedAppend_EndsTheRun_AndTheBrokerSendsTheMessageAgain()
    {
        var (prefix, spec) = NewSource();
        var appender = new RecordingAppender();
        appender.FailNext(new IOException("the event log is down"));
        await using (var failed = new SourceRun(Source(spec, "a"), appender))
        {
            await failed.ConnectedAsync();
            await mqtt.PublishAsync(MqttCloudEventMessage.ToBinary(Event("retry-1"), $"{prefix}/t"));
            await Assert.ThrowsAsync<IOException>(() => failed.Completion.WaitAsync(TimeSpan.FromSeconds(15)));
        }

        await using var again = new SourceRun(Source(spec, "a"), appender);

        Assert.Equal("retry-1", (await appender.WaitForAsync(1)).Single().Id);
    }

    [Theory]
    [InlineData(MqttVersion.V500)]
    [InlineData(MqttVersion.V311)]
    public async Task PersistentSession_MessagesPublishedWhileTheNodeIsDown_ArriveWhenItIsBack(MqttVersion version)
    {
        var (prefix, spec) = NewSource(version);
        var appender = new RecordingAppender();
        await using (var first = new SourceRun(Source(spec, "a", version), appender))
        {
            await first.ConnectedAsync();
        }

        foreach (var id in new[] { "away-1", "away-2", "away-3" })
        {
            await mqtt.PublishAsync(MqttCloudEventMessage.ToStructured(Event(id), $"{prefix}/t", version), version);
        }

        await using var back = new SourceRun(Source(spec, "a", version), appender);

        Assert.Equal(["away-1", "away-2", "away-3"], (await appender.WaitForAsync(3)).Select(e => e.Id));
    }

    /// <summary>
    /// Mosquitto deals the messages of a shared subscription round-robin among every session in the group, connected or
    /// not: an absent node's persistent session queues its share, which it reads when it comes back.
    /// </summary>
    [Fact]
    public async Task SharedSubscription_ANodeThatIsAway_GetsItsShareWhenItIsBack_NothingIsLostOrDoubled()
    {
        var (prefix, spec) = NewSource();
        var log = new RecordingAppender();
        await using var a = new SourceRun(Source(spec, "a"), log.Node("a"));
        await using (var b = new SourceRun(Source(spec, "b"), log.Node("b")))
        {
            await a.ConnectedAsync();
            await b.ConnectedAsync();
        }

        var ids = Enumerable.Range(0, 10).Select(i => $"away-{i}").ToList();
        foreach (var id in ids)
        {
            await mqtt.PublishAsync(MqttCloudEventMessage.ToBinary(Event(id), $"{prefix}/t"));
        }

        await using var bBack = new SourceRun(Source(spec, "b"), log.Node("b"));
        var events = await log.WaitForAsync(ids.Count);

        Assert.Equal(ids.Order(), events.Select(e => e.Id).Order());
        Assert.Contains(events, e => RecordingAppender.NodeOf(e) == "b");
    }
}
