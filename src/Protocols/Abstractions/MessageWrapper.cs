using System.Globalization;
using Gateway.Protocols.CloudEvents;

namespace Gateway.Protocols.Abstractions;

/// <summary>
/// Turns a message that is not a CloudEvent into one: <c>type</c> and <c>source</c> from the source's
/// <c>defaults</c>, the payload as <c>data</c> unchanged, its content type from the message or the defaults.
/// </summary>
public static class MessageWrapper
{
    /// <summary>
    /// Wraps <paramref name="payload"/>. <paramref name="id"/> should name the message stably where the protocol
    /// can (a Kafka offset, a JetStream sequence), so a message read twice after a crash becomes the same event.
    /// </summary>
    public static CloudEvent Wrap(
        SourceDefaults defaults, string id, ReadOnlyMemory<byte> payload, string? contentType, DateTimeOffset time, string? subject = null) =>

        // A subject taken from the message (a Kafka key, an MQTT topic) may hold characters no attribute may carry:
        // then the event goes without it, rather than the message blocking its source for good.
        Builder(defaults, id, payload, contentType, time, subject).TryBuild()
        ?? Builder(defaults, id, payload, contentType, time, subject: null).Build();

    /// <summary>
    /// Checks that <paramref name="defaults"/> make valid events (the source's create answers 400 otherwise, naming
    /// <c>defaults.*</c>); the errors name the attribute.
    /// </summary>
    public static IReadOnlyList<CloudEventError> Check(SourceDefaults defaults)
    {
        var errors = new List<CloudEventError>();
        new CloudEventBuilder(errors)
            .Set("specversion", "1.0").Set("id", "check").Set("source", defaults.Source).Set("type", defaults.Type)
            .TryBuild();
        return errors;
    }

    private static CloudEventBuilder Builder(
        SourceDefaults defaults, string id, ReadOnlyMemory<byte> payload, string? contentType, DateTimeOffset time, string? subject)
    {
        var dataContentType = contentType ?? defaults.DataContentType;
        var builder = new CloudEventBuilder()
            .Set("specversion", "1.0")
            .Set("id", id)
            .Set("source", defaults.Source)
            .Set("type", defaults.Type)
            .Set("time", time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
            .Set("subject", subject);
        if (dataContentType is not null && MediaTypes.IsValid(dataContentType))
        {
            builder.Set("datacontenttype", dataContentType);
        }

        if (!payload.IsEmpty)
        {
            builder.SetData(CloudEventData.FromPayload(payload, dataContentType));
        }

        return builder;
    }
}
