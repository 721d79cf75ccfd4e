using Gateway.Protocols.Abstractions;
using Gateway.Protocols.Mqtt;

namespace Gateway.Protocols.Tests.Sources;

/// <summary>What an MQTT source accepts, and the defaults its realized settings show.</summary>
public sealed class MqttSourceBindingTests
{
    [Fact]
    public void Mqtt5_GetsQos1_TheDefaultShareGroup_AndADaysSession()
    {
        var binding = new MqttSourceBinding(MqttVersion.V500, "node-a", OutboundGuard.AllowingAll);
        var spec = SourceSpecs.Create("mqtt://127.0.0.1:1883", """{"topicfilter":"sensors/+/temperature"}""", id: "s1");

        Assert.Empty(SourceSpecs.Validate(binding, spec));
        Assert.Equal(1, spec.Settings["qos"]!.GetValue<int>());
        Assert.Equal("gateway-s1", spec.Settings["sharegroup"]!.GetValue<string>());
        Assert.Equal(86_400u, spec.Settings["sessionexpiry"]!.GetValue<uint>());
        Assert.Equal("MQTT5", binding.Protocol);
        Assert.True(binding.RunsOnEveryNode);
    }

    [Fact]
    public void Mqtt3_HasNoSessionExpiry()
    {
        var binding = new MqttSourceBinding(MqttVersion.V311, "node-a", OutboundGuard.AllowingAll);
        var spec = SourceSpecs.Create("mqtts://broker.example", """{"topicfilter":"#","qos":0,"sharegroup":"mine"}""");

        Assert.Empty(SourceSpecs.Validate(binding, spec));
        Assert.Equal("MQTT3", binding.Protocol);
        Assert.Null(spec.Settings["sessionexpiry"]);
        Assert.Equal(["protocolsettings.sessionexpiry"],
            SourceSpecs.Validate(binding, SourceSpecs.Create("mqtt://h", """{"topicfilter":"a","sessionexpiry":60}""")));
    }

    [Theory]
    [InlineData("nats://127.0.0.1", """{"topicfilter":"a"}""", "address")]
    [InlineData("mqtt://127.0.0.1", "{}", "protocolsettings.topicfilter")]
    [InlineData("mqtt://127.0.0.1", """{"topicfilter":""}""", "protocolsettings.topicfilter")]
    [InlineData("mqtt://127.0.0.1", """{"topicfilter":"a/#/b"}""", "protocolsettings.topicfilter")]
    [InlineData("mqtt://127.0.0.1", """{"topicfilter":"a/b+"}""", "protocolsettings.topicfilter")]
    [InlineData("mqtt://127.0.0.1", """{"topicfilter":"$share/g/a"}""", "protocolsettings.topicfilter")]
    [InlineData("mqtt://127.0.0.1", """{"topicfilter":"a","qos":2}""", "protocolsettings.qos")]
    [InlineData("mqtt://127.0.0.1", """{"topicfilter":"a","qos":"1"}""", "protocolsettings.qos")]
    [InlineData("mqtt://127.0.0.1", """{"topicfilter":"a","sharegroup":"a/b"}""", "protocolsettings.sharegroup")]
    [InlineData("mqtt://127.0.0.1", """{"topicfilter":"a","sessionexpiry":-1}""", "protocolsettings.sessionexpiry")]
    [InlineData("mqtt://127.0.0.1", """{"topicfilter":"a","topicname":"a"}""", "protocolsettings.topicname")]
    public void InvalidSettings_NameTheField(string address, string settings, string field)
    {
        Assert.Equal([field], SourceSpecs.Validate(new MqttSourceBinding(MqttVersion.V500, "n", OutboundGuard.AllowingAll), SourceSpecs.Create(address, settings)));
    }

    [Fact]
    public void Credential_IsPlain()
    {
        var token = new SinkCredential { CredentialType = SinkCredential.AccessTokenType, AccessToken = "a" };

        Assert.Equal(["credential.credentialtype"],
            SourceSpecs.Validate(new MqttSourceBinding(MqttVersion.V500, "n", OutboundGuard.AllowingAll), SourceSpecs.Create("mqtt://h", """{"topicfilter":"a"}""", token)));
    }
}
