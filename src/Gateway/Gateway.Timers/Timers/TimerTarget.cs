using Gateway.Delivery;
using Gateway.Protocols.CloudEvents;

namespace Gateway.Timers;

/// <summary>
/// The gateway-internal extension attribute <c>gatewaytarget</c>: the id of the one subscription an event in the
/// log is for. Timer events carry it, so the dispatcher hands them to their own subscription and to no other that
/// happens to match; it is removed before the event leaves the gateway.
/// </summary>
internal static class TimerTarget
{
    public const string Attribute = "gatewaytarget";

    /// <summary>
    /// The subscription <paramref name="cloudEvent"/> is addressed to, or null. A reply (it carries
    /// <c>gatewayhops</c>) comes from a sink, which may not address anything: its attribute does not count.
    /// </summary>
    public static string? Of(CloudEvent cloudEvent) =>
        cloudEvent.TryGetAttribute(Attribute, out var target) && !cloudEvent.TryGetAttribute(DeadLetters.HopsAttribute, out _)
            ? target.Text
            : null;
}
