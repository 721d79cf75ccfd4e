using System.Text;
using System.Text.Json;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.Tests.Conformance;
using Sdk = CloudNative.CloudEvents;

namespace Gateway.Protocols.Tests;

/// <summary>The gateway's events as the CNCF SDK's and back, for plugin authors.</summary>
public sealed class SdkCloudEventsTests
{
    [Theory]
    [InlineData("minimal")]
    [InlineData("minimalWithTime")]
    [InlineData("minimalWithRelativeSource")]
    [InlineData("allCore")]
    [InlineData("simpleTextData")]
    [InlineData("allExtensionTypes")]
    public void AGoldenEvent_ToTheSdkAndBack_IsTheSameEvent(string sampleId)
    {
        var original = GoldenEvents.Sample(sampleId);

        var back = SdkCloudEvents.FromSdkCloudEvent(original.ToSdkCloudEvent());

        GoldenEvents.AssertSame(original, back);
    }

    [Fact]
    public void TheSdksEvent_HasTheAttributesTheirTypesAndTheData()
    {
        var sdk = GoldenEvents.Sample("allExtensionTypes").ToSdkCloudEvent();
        var json = new CloudEventBuilder()
            .Set("specversion", "1.0").Set("id", "j").Set("source", "/s").Set("type", "t").Set("datacontenttype", "application/json")
            .SetData(CloudEventData.FromJson("""{"n":1}"""u8.ToArray())).Build().ToSdkCloudEvent();

        Assert.Equal("allExtensionTypes", sdk.Id);
        Assert.Equal(new Uri("https://cloudevents.io"), sdk.Source);
        Assert.Equal(10, sdk["extinteger"]);
        Assert.Equal(true, sdk["extboolean"]);
        Assert.Equal("text", sdk["extstring"]);
        Assert.Equal(1, ((JsonElement)json.Data!).GetProperty("n").GetInt32());
    }

    [Fact]
    public void AnSdkEvent_WithStringData_BecomesTheGatewaysEvent()
    {
        var sdk = new Sdk.CloudEvent
        {
            Id = "s-1", Source = new Uri("urn:x"), Type = "t", DataContentType = "text/plain", Data = "hello", ["tenant"] = "blue",
        };

        var converted = SdkCloudEvents.FromSdkCloudEvent(sdk);

        Assert.Equal(("s-1", "urn:x", "text/plain"), (converted.Id, converted.Source, converted.DataContentType));
        Assert.Equal("hello", Encoding.UTF8.GetString(converted.Data.Bytes.Span));
        Assert.True(converted.TryGetAttribute("tenant", out var tenant));
        Assert.Equal("blue", tenant.Text);
    }

    [Fact]
    public void AnInvalidSdkEvent_OrDataWithoutAWireForm_IsRefused()
    {
        var missingType = new Sdk.CloudEvent { Id = "x", Source = new Uri("urn:x") };
        var objectData = new Sdk.CloudEvent { Id = "x", Source = new Uri("urn:x"), Type = "t", Data = new { n = 1 } };

        Assert.Throws<CloudEventFormatException>(() => SdkCloudEvents.FromSdkCloudEvent(missingType));
        Assert.Throws<ArgumentException>(() => SdkCloudEvents.FromSdkCloudEvent(objectData));
    }
}
