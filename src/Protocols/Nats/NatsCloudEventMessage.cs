using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Http;
using Gateway.Protocols.CloudEvents.Json;

namespace Gateway.Protocols.Nats;

/// <summary>The NATS protocol binding (§4.4): a CloudEvent as NATS headers and payload.</summary>
public static class NatsCloudEventMessage
{
    /// <summary>
    /// Binary mode (NATS-04, NATS-05): every attribute, <c>datacontenttype</c> included, as a <c>ce-</c> header with
    /// HTTP's percent-encoding; the payload is the data.
    /// </summary>
    public static (NatsHeaders Headers, ReadOnlyMemory<byte> Payload) ToBinary(CloudEvent cloudEvent)
    {
        var headers = new NatsHeaders();
        foreach (var (name, value) in HttpBinding.EncodeBinaryHeaders(cloudEvent))
        {
            headers.Add(name, value);
        }

        // CE-09: JSON data without a datacontenttype is sent with the implied application/json.
        if (HttpBinding.BinaryContentType(cloudEvent) is { } contentType)
        {
            headers.Add("ce-datacontenttype", HttpHeaderValue.Encode(contentType));
        }

        return (headers, cloudEvent.Data.Bytes);
    }

    /// <summary>Structured mode (NATS-03): <c>Content-Type: application/cloudevents+json</c>, the JSON format as payload.</summary>
    public static (NatsHeaders Headers, ReadOnlyMemory<byte> Payload) ToStructured(CloudEvent cloudEvent) =>
        (new NatsHeaders().Add("Content-Type", MediaTypes.CloudEventsJson), JsonEventFormat.ToUtf8Bytes(cloudEvent));
}
