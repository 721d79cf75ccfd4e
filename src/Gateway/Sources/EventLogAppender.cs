using Gateway.Discovery;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using Gateway.Storage;

namespace Gateway.Sources;

/// <summary>Sources append to the event log like ingress does, and their event types are learned for Discovery.</summary>
internal sealed class EventLogAppender(IEventLog log, EventCatalog catalog) : IEventAppender
{
    public async ValueTask AppendAsync(IReadOnlyList<CloudEvent> events, CancellationToken cancellationToken)
    {
        await log.AppendAsync(events, cancellationToken);
        foreach (var cloudEvent in events)
        {
            catalog.Observe(cloudEvent);
        }
    }
}
