using Gateway.Discovery;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using Gateway.Storage;
using Gateway.Timers;

namespace Gateway.Sources;

/// <summary>
/// Sources append to the event log like ingress does, and their event types are learned for Discovery. The
/// gateway's internal routing attribute is dropped: what a broker carries must not aim at one subscription (ingress
/// refuses it; a source cannot answer 400 to a broker, so it strips it).
/// </summary>
internal sealed class EventLogAppender(IEventLog log, EventCatalog catalog) : IEventAppender
{
    public async ValueTask AppendAsync(IReadOnlyList<CloudEvent> events, CancellationToken cancellationToken)
    {
        events = [.. events.Select(e => e.WithoutExtension(TimerTarget.Attribute))];
        await log.AppendAsync(events, cancellationToken);
        foreach (var cloudEvent in events)
        {
            catalog.Observe(cloudEvent);
        }
    }
}
