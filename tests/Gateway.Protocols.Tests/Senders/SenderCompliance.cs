using System.Text;
using System.Text.Json.Nodes;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Json;

namespace Gateway.Protocols.Tests.Senders;

/// <summary>
/// The delivery contract every protocol's sender keeps (design.md, "Plugin contract"), run against each protocol's
/// real server: an event arrives unchanged in binary and structured mode; while the server is down an attempt is a
/// retry, never a loss or an exception, and once it is back the event arrives; what the server can never take is a
/// permanent failure. A protocol's class says how to reach and read its server, nothing more.
/// </summary>
public abstract class SenderCompliance
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an attempt may take (the gateway's <c>delivery.timeout</c>): within it, the sender itself must answer,
    /// a server that is down included.
    /// </summary>
    protected virtual TimeSpan AttemptBound => TimeSpan.FromSeconds(5);

    /// <summary>The binding whose senders are under test.</summary>
    protected abstract IProtocolBinding Binding { get; }

    /// <summary>The <c>sink</c> of a fresh destination on the server, and its <c>protocolsettings</c>.</summary>
    protected abstract (string Sink, JsonObject Settings) NewDestination(bool structured);

    /// <summary>Starts reading <paramref name="sink"/> with the test's own client; events come decoded.</summary>
    protected abstract Task<ISinkReader> OpenReaderAsync(string sink, JsonObject settings);

    /// <summary>Stops the server, as a crash would.</summary>
    protected abstract Task TakeDownAsync();

    /// <summary>Starts the server again at the same address.</summary>
    protected abstract Task BringUpAsync();

    /// <summary>
    /// A destination and an event the server will never take, or null with <paramref name="why"/> saying why the
    /// protocol has no such case here.
    /// </summary>
    protected abstract (string Sink, JsonObject Settings, CloudEvent Event)? NeverAccepted(out string why);

    [Fact]
    public Task BinaryMode_DeliversTheEventUnchanged() => DeliversUnchangedAsync(structured: false);

    [Fact]
    public Task StructuredMode_DeliversTheEventUnchanged() => DeliversUnchangedAsync(structured: true);

    [Fact]
    public async Task ServerDown_IsARetry_AndTheEventArrivesOnceItIsBack()
    {
        var (sink, settings) = NewDestination(structured: false);
        await using var sender = CreateSender(sink, settings);
        var cloudEvent = Event("down-and-back");

        await TakeDownAsync();
        DeliveryResult whileDown;
        try
        {
            whileDown = await SendAsync(sender, cloudEvent);
        }
        finally
        {
            await BringUpAsync();
        }

        await using var reader = await OpenReaderAsync(sink, settings);
        var deadline = DateTime.UtcNow + Recovery;
        DeliveryResult afterwards;
        do
        {
            afterwards = await SendAsync(sender, cloudEvent);
            if (afterwards.Outcome != DeliveryOutcome.Delivered)
            {
                await Task.Delay(200);
            }
        }
        while (afterwards.Outcome != DeliveryOutcome.Delivered && DateTime.UtcNow < deadline);

        Assert.Equal(DeliveryOutcome.Retry, whileDown.Outcome);
        Assert.False(string.IsNullOrEmpty(whileDown.Reason), "a retry says why");
        Assert.Equal(DeliveryOutcome.Delivered, afterwards.Outcome);
        SameEvent.Assert(cloudEvent, await reader.NextAsync());
    }

    [Fact]
    public async Task WhatTheServerNeverTakes_IsAPermanentFailure_ThatSaysWhy()
    {
        if (NeverAccepted(out var why) is not { } never)
        {
            Assert.Skip(why);
            return;
        }

        await using var sender = CreateSender(never.Sink, never.Settings);

        var result = await SendAsync(sender, never.Event);

        Assert.Equal(DeliveryOutcome.Permanent, result.Outcome);
        Assert.False(string.IsNullOrEmpty(result.Reason), "a permanent failure says why");
    }

    /// <summary>An event with a JSON payload and an extension, as producers send them.</summary>
    protected static CloudEvent Event(string id, int dataBytes = 0) => JsonEventFormat.Parse(Encoding.UTF8.GetBytes($$"""
        {"specversion":"1.0","id":"{{id}}","source":"/compliance","type":"io.gateway.compliance","subject":"Euro €",
         "time":"2026-12-08T10:00:00Z","myext":"x","datacontenttype":"application/json",
         "data":{"n":1,"text":"{{new string('x', dataBytes)}}"} }
        """));

    private async Task DeliversUnchangedAsync(bool structured)
    {
        var (sink, settings) = NewDestination(structured);
        await using var sender = CreateSender(sink, settings);
        await using var reader = await OpenReaderAsync(sink, settings);
        var cloudEvent = Event(structured ? "structured" : "binary");

        var result = await SendAsync(sender, cloudEvent);

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        SameEvent.Assert(cloudEvent, await reader.NextAsync());
    }

    private IEventSender CreateSender(string sink, JsonObject settings)
    {
        var errors = new List<ValidationError>();
        var spec = new SinkSpec("compliance", sink, settings, Credential: null);
        Binding.ValidateAndComplete(spec, errors);
        Assert.Empty(errors);
        return Binding.CreateSender(spec);
    }

    private async Task<DeliveryResult> SendAsync(IEventSender sender, CloudEvent cloudEvent)
    {
        using var attempt = new CancellationTokenSource(AttemptBound);
        return await sender.SendAsync(cloudEvent, attempt.Token);
    }
}

/// <summary>The test's own reading side of a destination.</summary>
public interface ISinkReader : IAsyncDisposable
{
    /// <summary>The next event that arrived, decoded; fails after 15 seconds.</summary>
    Task<CloudEvent> NextAsync();
}
