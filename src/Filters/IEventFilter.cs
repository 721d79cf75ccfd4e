using Gateway.Protocols.CloudEvents;

namespace Gateway.Filters;

/// <summary>A compiled, immutable filter: built once per subscription, evaluated for every event.</summary>
public interface IEventFilter
{
    /// <summary>True when the event passes.</summary>
    bool Matches(CloudEvent cloudEvent);
}
