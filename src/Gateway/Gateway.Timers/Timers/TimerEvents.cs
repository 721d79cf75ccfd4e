using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Protocols.CloudEvents;
using Gateway.Subscriptions;

namespace Gateway.Timers;

/// <summary>The event a timer generates at each fire time, addressed to its own subscription only.</summary>
internal static class TimerEvents
{
    /// <summary>The <c>type</c> of timer events, unless the subscription names its <c>types</c>.</summary>
    public const string Type = "io.cloudevents.gateway.timer";

    /// <summary>
    /// The generation phase uses <c>config</c>, <c>source</c> and <c>types</c> (§6.2), so the event carries the
    /// subscription's <c>source</c> (SUB-06) and first type (SUB-08) when it has them; otherwise <c>source</c> is the
    /// subscription's path <c>/subscriptions/{id}</c> and <c>type</c> <see cref="Type"/>. The <c>id</c> is the
    /// subscription id and the fire time, so a fire time that two nodes both fire around a takeover carries one id.
    /// </summary>
    public static CloudEvent Create(Subscription subscription, JsonNode? data, DateTimeOffset fireTime)
    {
        var builder = new CloudEventBuilder()
            .Set(CloudEventAttributes.SpecVersion, CloudEventAttributes.SupportedSpecVersion)
            .Set(CloudEventAttributes.Id, $"{subscription.Id}:{fireTime.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}")
            .Set(CloudEventAttributes.Source, subscription.Source ?? $"/subscriptions/{Uri.EscapeDataString(subscription.Id)}")
            .Set(CloudEventAttributes.Type, subscription.Types is [var first, ..] ? first : Type)
            .Set(CloudEventAttributes.Time, Rfc3339(fireTime))
            .Set(TimerTarget.Attribute, subscription.Id);
        if (data is not null)
        {
            // Any JSON value, a string too, is the data as JSON: a consumer parses back exactly what was configured.
            builder.Set(CloudEventAttributes.DataContentType, MediaTypes.Json)
                .SetData(CloudEventData.FromJson(Encoding.UTF8.GetBytes(data.ToJsonString())));
        }

        return builder.Build();
    }

    /// <summary>An instant as an RFC 3339 UTC timestamp, with as many fraction digits as it needs (none for whole seconds).</summary>
    public static string Rfc3339(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
