using System.Globalization;
using Gateway.Protocols.CloudEvents;

namespace Gateway.Protocols.Abstractions;

/// <summary>
/// Turns a message that is not a CloudEvent into one (issue #12): <c>type</c> and <c>source</c> from the source's
/// <c>defaults</c>, the payload as <c>data</c> unchanged, its content type from the message or the defaults.
/// </summary>
public static class MessageWrapper
{
    /// <summary>
    /// Wraps <paramref name="payload"/>. <paramref name="id"/> should name the message stably where the protocol
    /// can (a Kafka offset, a JetStream sequence), so a message read twice after a crash becomes the same event.
    /// </summary>
    public static CloudEvent Wrap(
        SourceDefaults defaults, string id, ReadOnlyMemory<byte> payload, string? contentType, DateTimeOffset time, string? subject = null)
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

        return builder.Build();
    }
}
