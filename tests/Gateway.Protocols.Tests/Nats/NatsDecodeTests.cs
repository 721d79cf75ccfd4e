using System.Text;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Json;
using Gateway.Protocols.Nats;
using NATS.Client.Core;

namespace Gateway.Protocols.Tests.Nats;

/// <summary>Reading NATS messages back into CloudEvents (§4.4), for sources: round trips with the encoder, and what is not a CloudEvent.</summary>
public sealed class NatsDecodeTests
{
    private static CloudEvent Sample(string data = ""","datacontenttype":"application/json","data":{"total":12.5}""") => JsonEventFormat.Parse(Encoding.UTF8.GetBytes($$"""
        {"specversion":"1.0","id":"n-1","source":"/shop","type":"com.example.created","subject":"Euro €","time":"2024-05-01T10:00:00Z",
         "myext":"a \"quoted\" 100%"{{data}}}
        """));

    [Fact]
    public void NATS_04_NATS_05_Binary_RoundTrips()
    {
        var original = Sample();
        var (headers, payload) = NatsCloudEventMessage.ToBinary(original);

        var decoded = NatsCloudEventMessage.Decode(headers, payload);

        SameEvent.Assert(original, decoded);
    }

    [Fact]
    public void NATS_04_Binary_WithoutData_RoundTrips()
    {
        var original = Sample(data: "");
        var (headers, payload) = NatsCloudEventMessage.ToBinary(original);

        var decoded = NatsCloudEventMessage.Decode(headers, payload)!;

        SameEvent.Assert(original, decoded);
        Assert.False(decoded.Data.IsPresent);
    }

    [Fact]
    public void NATS_03_Structured_RoundTrips()
    {
        var original = Sample(""","datacontenttype":"text/plain","data":"hello" """);
        var (headers, payload) = NatsCloudEventMessage.ToStructured(original);

        var decoded = NatsCloudEventMessage.Decode(headers, payload);

        SameEvent.Assert(original, decoded);
    }

    [Fact]
    public void NATS_04_Binary_HeaderNamesIgnoreCase_AndValuesArePercentDecoded()
    {
        var headers = new NatsHeaders { ["CE-SpecVersion"] = "1.0", ["ce-ID"] = "2", ["ce-source"] = "/s", ["ce-type"] = "t", ["ce-subject"] = "Euro%20%E2%82%AC", ["ce-datacontenttype"] = "text/plain;%20charset=utf-8" };

        var decoded = NatsCloudEventMessage.Decode(headers, "hi"u8.ToArray())!;

        Assert.Equal("2", decoded.Id);
        Assert.Equal("Euro €", decoded.Subject);
        Assert.Equal("text/plain; charset=utf-8", decoded.DataContentType);
        Assert.Equal("hi", Encoding.UTF8.GetString(decoded.Data.Bytes.Span));
    }

    [Fact]
    public void Decode_WithoutCeSpecVersionOrCloudEventsContentType_IsNotACloudEvent()
    {
        Assert.Null(NatsCloudEventMessage.Decode(null, "plain"u8.ToArray()));
        Assert.Null(NatsCloudEventMessage.Decode(new NatsHeaders { ["Content-Type"] = "application/json", ["ce-id"] = "1" }, "{}"u8.ToArray()));
    }

    [Fact]
    public void Decode_InvalidClaims_Throw()
    {
        var missingType = new NatsHeaders { ["ce-specversion"] = "1.0", ["ce-id"] = "1", ["ce-source"] = "/s" };
        var badEncoding = new NatsHeaders { ["ce-specversion"] = "1.0", ["ce-datacontenttype"] = "text/plain%2" };
        var structured = new NatsHeaders { ["Content-Type"] = "application/cloudevents+json" };
        var batch = new NatsHeaders { ["Content-Type"] = "application/cloudevents-batch+json" };

        Assert.Contains("type", Assert.Throws<CloudEventFormatException>(() => NatsCloudEventMessage.Decode(missingType, default)).Message);
        Assert.Throws<CloudEventFormatException>(() => NatsCloudEventMessage.Decode(badEncoding, default));
        Assert.Throws<CloudEventFormatException>(() => NatsCloudEventMessage.Decode(structured, "{\"specversion\":\"1.0\"}"u8.ToArray()));
        Assert.Contains("NATS-01", Assert.Throws<CloudEventFormatException>(() => NatsCloudEventMessage.Decode(batch, "[]"u8.ToArray())).Message);
    }
}
