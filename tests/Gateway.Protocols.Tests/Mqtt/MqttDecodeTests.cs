using System.Text;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Json;
using Gateway.Protocols.Mqtt;
using Gateway.Testing;

namespace Gateway.Protocols.Tests.Mqtt;

/// <summary>Reading MQTTnet messages back into CloudEvents (§4.3), for sources: round trips with the encoder, and what is not a CloudEvent.</summary>
public sealed class MqttDecodeTests
{
    private static CloudEvent Sample(string data = ""","datacontenttype":"application/json","data":{"total":12.5}""") => JsonEventFormat.Parse(Encoding.UTF8.GetBytes($$"""
        {"specversion":"1.0","id":"m-1","source":"/shop","type":"com.example.created","subject":"Euro €","myext":"x"{{data}}}
        """));

    [Fact]
    public void MQTT_04_Mqtt5Binary_RoundTrips()
    {
        var original = Sample();

        SameEvent.Assert(original, MqttCloudEventMessage.Decode(MqttCloudEventMessage.ToBinary(original, "t"), MqttVersion.V500));
    }

    [Fact]
    public void MQTT_04_Mqtt5Binary_WithoutData_RoundTrips()
    {
        var original = Sample(data: "");

        SameEvent.Assert(original, MqttCloudEventMessage.Decode(MqttCloudEventMessage.ToBinary(original, "t"), MqttVersion.V500));
    }

    [Theory]
    [InlineData(MqttVersion.V500)]
    [InlineData(MqttVersion.V311)]
    public void MQTT_02_MQTT_05_Structured_RoundTrips(MqttVersion version)
    {
        var original = Sample(""","datacontenttype":"application/octet-stream","data_base64":"AAEC" """);

        SameEvent.Assert(original, MqttCloudEventMessage.Decode(MqttCloudEventMessage.ToStructured(original, "t", version), version));
    }

    [Fact]
    public void MQTT_04_ContentTypeProperty_IsPreferred_AndForeignUserPropertiesAreNotAttributes()
    {
        var message = MqttTestClient.Message("t", "hi"u8.ToArray(), "text/plain",
            ("specversion", "1.0"), ("id", "1"), ("source", "/s"), ("type", "t"), ("datacontenttype", "application/xml"), ("X-Trace", "abc"));

        var decoded = MqttCloudEventMessage.Decode(message, MqttVersion.V500)!;

        Assert.Equal("text/plain", decoded.DataContentType);
        Assert.Empty(decoded.Extensions);
    }

    [Fact]
    public void Decode_MessagesThatDoNotClaimToBeCloudEvents_AreNull()
    {
        var json = """{"temperature":21}"""u8.ToArray();

        Assert.Null(MqttCloudEventMessage.Decode(MqttTestClient.Message("t", json), MqttVersion.V311));
        Assert.Null(MqttCloudEventMessage.Decode(MqttTestClient.Message("t", "not json"u8.ToArray()), MqttVersion.V311));
        Assert.Null(MqttCloudEventMessage.Decode(MqttTestClient.Message("t", json, "application/json"), MqttVersion.V500));

        // MQTT-03: without the structured content type, an MQTT 5 payload is data, even when it looks like the JSON format.
        var structuredLooking = MqttCloudEventMessage.ToStructured(Sample(), "t", MqttVersion.V311);
        Assert.Null(MqttCloudEventMessage.Decode(structuredLooking, MqttVersion.V500));
    }

    [Fact]
    public void Decode_InvalidClaims_Throw()
    {
        var missingId = MqttTestClient.Message("t", [], null, ("specversion", "1.0"), ("source", "/s"), ("type", "t"));
        var structured3 = MqttTestClient.Message("t", """{"specversion":"1.0","id":"1"}"""u8.ToArray());
        var batch5 = MqttTestClient.Message("t", "[]"u8.ToArray(), "application/cloudevents-batch+json");

        Assert.Throws<CloudEventFormatException>(() => MqttCloudEventMessage.Decode(missingId, MqttVersion.V500));
        Assert.Throws<CloudEventFormatException>(() => MqttCloudEventMessage.Decode(structured3, MqttVersion.V311));
        Assert.Contains("MQTT-01", Assert.Throws<CloudEventFormatException>(() => MqttCloudEventMessage.Decode(batch5, MqttVersion.V500)).Message);
    }
}
