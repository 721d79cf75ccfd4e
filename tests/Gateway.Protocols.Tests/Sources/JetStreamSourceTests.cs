using System.Text;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Json;
using Gateway.Protocols.Nats;
using Gateway.Testing;
using NATS.Client.JetStream;

namespace Gateway.Protocols.Tests.Sources;

/// <summary>
/// The NATS source on a JetStream durable pull consumer against a real nats-server: at least once, the ack only after
/// the append, and the nodes sharing one consumer.
/// </summary>
public sealed class JetStreamSourceTests(NatsServerFixture nats) : IClassFixture<NatsServerFixture>
{
    private readonly NatsSourceBinding _binding = new(OutboundGuard.AllowingAll);

    private static CloudEvent Event(string id) => JsonEventFormat.Parse(Encoding.UTF8.GetBytes($$$"""
        {"specversion":"1.0","id":"{{{id}}}","source":"/nats/tests","type":"com.example.sourced","data":{"id":"{{{id}}}"}}
        """));

    /// <summary>A new stream of subjects <c>&lt;prefix&gt;.&gt;</c> and a source spec on a durable consumer of it.</summary>
    private async Task<(string Prefix, string Stream, SourceSpec Spec)> StreamAsync(string ackWait = "PT30S")
    {
        var prefix = "js" + Guid.NewGuid().ToString("N");
        var stream = await nats.CreateStreamAsync($"{prefix}.>");
        var spec = SourceSpecs.Create(nats.Server.Url, $$"""{"stream":"{{stream}}","durable":"gateway","ackwait":"{{ackWait}}"}""");
        Assert.Empty(SourceSpecs.Validate(_binding, spec));
        return (prefix, stream, spec);
    }

    private Task PublishEventAsync(string subject, string id)
    {
        var (headers, payload) = NatsCloudEventMessage.ToBinary(Event(id));
        return nats.PublishToStreamAsync(subject, headers, payload);
    }

    [Fact]
    public async Task BinaryStructuredAndPlainMessages_BecomeEvents_AndAWrappedIdIsStreamAndSequence()
    {
        var (prefix, stream, spec) = await StreamAsync();
        await PublishEventAsync($"{prefix}.a", "b-1");
        var (headers, payload) = NatsCloudEventMessage.ToStructured(Event("s-1"));
        await nats.PublishToStreamAsync($"{prefix}.a", headers, payload);
        await nats.PublishToStreamAsync($"{prefix}.plain", null, "plain text"u8.ToArray());

        var appender = new RecordingAppender();
        await using var run = new SourceRun(_binding.CreateSource(spec), appender);
        var events = await appender.WaitForAsync(3);

        Assert.Equal(["b-1", "s-1", $"{stream}-3"], events.Select(e => e.Id));
        SameEvent.Assert(Event("s-1"), events[1]);
        Assert.Equal(($"{prefix}.plain", SourceSpecs.Defaults.Type), (events[2].Subject, events[2].Type));
        Assert.Equal("plain text", Encoding.UTF8.GetString(events[2].Data.Bytes.Span));

        // Health is written after the append, so it is read once the run has stopped.
        await run.StopAsync();
        Assert.Equal((3L, 0L), (run.Health.Snapshot.Events, run.Health.Snapshot.Lag));
    }

    [Fact]
    public async Task AFailedAppend_EndsTheRun_AndTheMessageIsDeliveredAgain()
    {
        var (prefix, _, spec) = await StreamAsync();
        await PublishEventAsync($"{prefix}.a", "retry-1");
        var appender = new RecordingAppender();
        appender.FailNext(new IOException("the event log is down"));

        await using (var failed = new SourceRun(_binding.CreateSource(spec), appender))
        {
            await Assert.ThrowsAsync<IOException>(() => failed.Completion.WaitAsync(TimeSpan.FromSeconds(15)));
        }

        Assert.Empty(appender.Events);
        await using var again = new SourceRun(_binding.CreateSource(spec), appender);
        Assert.Equal("retry-1", (await appender.WaitForAsync(1)).Single().Id);
    }

    [Fact]
    public async Task ASourceStoppedAfterTheAppendButBeforeTheAck_GetsTheMessageAgain()
    {
        var (prefix, stream, spec) = await StreamAsync(ackWait: "PT1S");
        await nats.PublishToStreamAsync($"{prefix}.plain", null, "once"u8.ToArray());
        var appender = new RecordingAppender();
        appender.HoldNext();

        await using (var stopped = new SourceRun(_binding.CreateSource(spec), appender))
        {
            await appender.WaitForAsync(1);
        }

        await using var next = new SourceRun(_binding.CreateSource(spec), appender);
        var events = await appender.WaitForAsync(2);

        // The same message, and the same event: the wrapped id names the stream sequence, not the delivery.
        Assert.Equal([$"{stream}-1", $"{stream}-1"], events.Select(e => e.Id));
    }

    [Fact]
    public async Task TwoSourcesOnOneDurableConsumer_GetEachMessageOnce()
    {
        var (prefix, _, spec) = await StreamAsync();
        var log = new RecordingAppender();
        await using var one = new SourceRun(_binding.CreateSource(spec), log.Node("one"));
        await using var two = new SourceRun(_binding.CreateSource(spec), log.Node("two"));

        var ids = Enumerable.Range(0, 40).Select(i => $"d-{i}").ToList();
        foreach (var id in ids)
        {
            await PublishEventAsync($"{prefix}.a", id);
        }

        var events = await log.WaitForAsync(ids.Count);

        Assert.Equal(ids.Order(), events.Select(e => e.Id).Order());
    }

    [Fact]
    public async Task AMissingStream_EndsTheRun_WithJetStreamsReason()
    {
        var spec = SourceSpecs.Create(nats.Server.Url, """{"stream":"NOSUCHSTREAM","durable":"gateway"}""");
        Assert.Empty(SourceSpecs.Validate(_binding, spec));

        await using var run = new SourceRun(_binding.CreateSource(spec), new RecordingAppender());

        var refused = await Assert.ThrowsAsync<NatsJSApiException>(() => run.Completion.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Contains("stream not found", refused.Message, StringComparison.OrdinalIgnoreCase);
    }
}
