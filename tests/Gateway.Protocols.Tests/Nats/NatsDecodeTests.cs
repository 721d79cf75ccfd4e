using System.Text;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Json;
using Gateway.Protocols.Nats;

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
        var headers = new NatsHeaders()
            .Add("CE-SpecVersion", "1.0").Add("ce-ID", "2").Add("ce-source", "/s").Add("ce-type", "t")
            .Add("ce-subject", "Euro%20%E2%82%AC").Add("ce-datacontenttype", "text/plain;%20charset=utf-8");

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
        Assert.Null(NatsCloudEventMessage.Decode(new NatsHeaders().Add("Content-Type", "application/json").Add("ce-id", "1"), "{}"u8.ToArray()));
    }

    [Fact]
    public void Decode_InvalidClaims_Throw()
    {
        var missingType = new NatsHeaders().Add("ce-specversion", "1.0").Add("ce-id", "1").Add("ce-source", "/s");
        var badEncoding = new NatsHeaders().Add("ce-specversion", "1.0").Add("ce-datacontenttype", "text/plain%2");
        var structured = new NatsHeaders().Add("Content-Type", "application/cloudevents+json");
        var batch = new NatsHeaders().Add("Content-Type", "application/cloudevents-batch+json");

        Assert.Contains("type", Assert.Throws<CloudEventFormatException>(() => NatsCloudEventMessage.Decode(missingType, default)).Message);
        Assert.Throws<CloudEventFormatException>(() => NatsCloudEventMessage.Decode(badEncoding, default));
        Assert.Throws<CloudEventFormatException>(() => NatsCloudEventMessage.Decode(structured, "{\"specversion\":\"1.0\"}"u8.ToArray()));
        Assert.Contains("NATS-01", Assert.Throws<CloudEventFormatException>(() => NatsCloudEventMessage.Decode(batch, "[]"u8.ToArray())).Message);
    }

    [Theory]
    [InlineData("$JS.ACK.orders.gateway.1.42.40.1714557600000000000.7", "orders", 42ul, 7ul)]
    [InlineData("$JS.ACK.hub.ACCHASH.orders.gateway.2.42.40.1714557600000000000.0.token", "orders", 42ul, 0ul)]
    [InlineData("$JS.ACK.hub.ACCHASH.orders.gateway.2.43.40.1714557600000000000.5", "orders", 43ul, 5ul)]
    public void JetStreamAckSubjects_NameStreamSequenceAndPending(string replyTo, string stream, ulong sequence, ulong pending)
    {
        Assert.Equal(new JetStreamAckMetadata(stream, sequence, pending), JetStreamAckMetadata.Parse(replyTo));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("_INBOX.abc.1")]
    [InlineData("$JS.ACK.orders.gateway.1.x.40.1714557600000000000.7")]
    [InlineData("$JS.ACK.orders.gateway.1.42.40.1714557600000000000")]
    public void OtherReplySubjects_AreNotJetStreamAcks(string? replyTo)
    {
        Assert.Null(JetStreamAckMetadata.Parse(replyTo));
    }
}
