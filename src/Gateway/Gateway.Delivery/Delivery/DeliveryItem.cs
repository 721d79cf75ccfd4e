using Gateway.Protocols.CloudEvents;

namespace Gateway.Delivery;

/// <summary>One event on its way to one subscription.</summary>
internal sealed record DeliveryItem(CloudEvent Event, EventTicket Ticket, DateTimeOffset Queued);

/// <summary>
/// One delivery attempt's input: the event, attempts so far, when the first was made, and the retry-store entry it
/// came from (null for a first attempt straight from the log).
/// </summary>
internal sealed record Attempt(CloudEvent Event, int Attempts, DateTimeOffset FirstAttempt, long? RetryId);
