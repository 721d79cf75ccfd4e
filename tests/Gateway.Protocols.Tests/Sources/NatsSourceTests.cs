using System.Text;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Json;
using Gateway.Protocols.Nats;
using Gateway.Testing;
using NATS.Client.Core;

namespace Gateway.Protocols.Tests.Sources;

/// <summary>The NATS source against a real nats-server: core subjects in a queue group, and JetStream durable pull consumers.</summary>
public sealed class NatsSourceTests(NatsServerFixture nats) : IClassFixture<NatsServerFixture>
{
    private readonly NatsSourceBinding _binding = new(OutboundGuard.AllowingAll);

    private static CloudEvent Event(string id, string data = """{"n":1}""") => JsonEventFormat.Parse(Encoding.UTF8.GetBytes($$"""
        {"specversion":"1.0","id":"{{id}}","source":"/nats/tests","type":"com.example.sourced","datacontenttype":"application/json","data":{{data}}}
        """));

    private SourceSpec Spec(string settings, string? id = null, string? address = null, SinkCredential? credential = null)
    {
        var spec = SourceSpecs.Create(address ?? nats.Server.Url, settings, credential, id);
        Assert.Empty(SourceSpecs.Validate(_binding, spec));
        return spec;
    }

    /// <summary>
    /// Core NATS keeps nothing for a subscriber that is not there yet, and nothing signals that a source's SUB has
    /// reached the server: so publish probes on <paramref name="probeSubject"/> until each of <paramref name="nodes"/>
    /// (or the one source, when none are named) got one.
    /// </summary>
    private async Task ProbeUntilSubscribedAsync(string probeSubject, RecordingAppender log, params string[] nodes)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (log.Events.Count == 0 || !nodes.All(n => log.Events.Any(e => RecordingAppender.NodeOf(e) == n)))
        {
            await nats.PublishAsync(probeSubject, null, "probe"u8.ToArray(), cancellationToken: timeout.Token);
            await Task.Delay(50, timeout.Token);
        }
    }

    [Fact]
    public async Task Core_BinaryStructuredAndPlainMessages_BecomeEvents()
    {
        var prefix = "core." + Guid.NewGuid().ToString("N");
        var appender = new RecordingAppender();
        await using var run = new SourceRun(_binding.CreateSource(Spec($$"""{"subject":"{{prefix}}.>"}""")), appender);
        await ProbeUntilSubscribedAsync($"{prefix}.probe", appender);

        var (binaryHeaders, binaryPayload) = NatsCloudEventMessage.ToBinary(Event("b-1"));
        await nats.PublishAsync($"{prefix}.data", binaryHeaders, binaryPayload);
        var (structuredHeaders, structuredPayload) = NatsCloudEventMessage.ToStructured(Event("s-1"));
        await nats.PublishAsync($"{prefix}.data", structuredHeaders, structuredPayload);
        await nats.PublishAsync($"{prefix}.plain", new NatsHeaders { ["Content-Type"] = "application/json" }, """{"plain":true}"""u8.ToArray());
        var events = await appender.WaitUntilAsync(e => e.Any(x => x.Subject == $"{prefix}.plain") && e.Any(x => x.Id == "b-1") && e.Any(x => x.Id == "s-1"));

        SameEvent.Assert(Event("b-1"), events.Single(e => e.Id == "b-1"));
        SameEvent.Assert(Event("s-1"), events.Single(e => e.Id == "s-1"));
        var wrapped = events.Single(e => e.Subject == $"{prefix}.plain");
        Assert.Equal((SourceSpecs.Defaults.Type, SourceSpecs.Defaults.Source, "application/json"), (wrapped.Type, wrapped.Source, wrapped.DataContentType));
        Assert.Equal("""{"plain":true}""", Encoding.UTF8.GetString(wrapped.Data.Bytes.Span));
        Assert.True(Guid.TryParse(wrapped.Id, out _));
        Assert.True(run.Health.Snapshot.Connected);
    }

    [Fact]
    public async Task Core_AnInvalidCloudEvent_IsWrapped_AndTheHealthSaysWhy()
    {
        var subject = "invalid." + Guid.NewGuid().ToString("N");
        var appender = new RecordingAppender();
        await using var run = new SourceRun(_binding.CreateSource(Spec($$"""{"subject":"{{subject}}"}""")), appender);
        await ProbeUntilSubscribedAsync(subject, appender);

        await nats.PublishAsync(subject, new NatsHeaders { ["ce-specversion"] = "1.0", ["ce-id"] = "no-type" }, "payload"u8.ToArray());
        var events = await appender.WaitUntilAsync(e => e.Any(x => x.Data.IsPresent && Encoding.UTF8.GetString(x.Data.Bytes.Span) == "payload"));

        Assert.Equal(SourceSpecs.Defaults.Type, events[^1].Type);
        Assert.Contains("claimed to be a CloudEvent", run.Health.Snapshot.LastError);
        Assert.Contains("ce-type", run.Health.Snapshot.LastError);
    }

    [Fact]
    public async Task Core_TwoSourcesInOneQueueGroup_ShareTheMessages_EachToExactlyOne()
    {
        var subject = "queue." + Guid.NewGuid().ToString("N");
        var spec = Spec($$"""{"subject":"{{subject}}"}""");
        var log = new RecordingAppender();
        await using var one = new SourceRun(_binding.CreateSource(spec), log.Node("one"));
        await using var two = new SourceRun(_binding.CreateSource(spec), log.Node("two"));
        await ProbeUntilSubscribedAsync(subject, log, "one", "two");

        var ids = Enumerable.Range(0, 40).Select(i => $"q-{i}").ToList();
        foreach (var id in ids)
        {
            var (headers, payload) = NatsCloudEventMessage.ToBinary(Event(id));
            await nats.PublishAsync(subject, headers, payload);
        }

        var received = (await log.WaitUntilAsync(e => ids.All(id => e.Any(x => x.Id == id)))).Where(e => ids.Contains(e.Id)).ToList();

        Assert.Equal(ids.Order(), received.Select(e => e.Id).Order());
        Assert.Equal(["one", "two"], received.Select(RecordingAppender.NodeOf).Distinct().Order());
    }
}
