using Gateway.Protocols.Abstractions;
using Gateway.Protocols.Nats;

namespace Gateway.Protocols.Tests.Sources;

/// <summary>What a NATS source accepts, and the defaults its realized settings show.</summary>
public sealed class NatsSourceBindingTests
{
    private readonly NatsSourceBinding _binding = new(OutboundGuard.AllowingAll);

    [Fact]
    public void CoreSubject_GetsTheDefaultQueueGroup()
    {
        var spec = SourceSpecs.Create("nats://127.0.0.1:4222", """{"subject":"orders.>"}""", id: "s1");

        Assert.Empty(SourceSpecs.Validate(_binding, spec));
        Assert.Equal("gateway-s1", spec.Settings["queuegroup"]!.GetValue<string>());
        Assert.Null(spec.Settings["ackwait"]);
        Assert.True(_binding.RunsOnEveryNode);
        Assert.Equal("NATS", _binding.Protocol);
    }

    [Fact]
    public void JetStream_GetsTheDefaultAckWait_AndTakesAnOptionalFilter()
    {
        var spec = SourceSpecs.Create("tls://nats.example", """{"stream":"ORDERS","durable":"gateway","subject":"orders.*"}""");

        Assert.Empty(SourceSpecs.Validate(_binding, spec));
        Assert.Equal("PT30S", spec.Settings["ackwait"]!.GetValue<string>());
        Assert.Null(spec.Settings["queuegroup"]);
    }

    [Theory]
    [InlineData("http://127.0.0.1:4222", """{"subject":"a"}""", "address")]
    [InlineData("nats://127.0.0.1", "{}", "protocolsettings.subject")]
    [InlineData("nats://127.0.0.1", """{"subject":"a b"}""", "protocolsettings.subject")]
    [InlineData("nats://127.0.0.1", """{"subject":"a.>.b"}""", "protocolsettings.subject")]
    [InlineData("nats://127.0.0.1", """{"subject":7}""", "protocolsettings.subject")]
    [InlineData("nats://127.0.0.1", """{"subject":"a","queuegroup":"a.b"}""", "protocolsettings.queuegroup")]
    [InlineData("nats://127.0.0.1", """{"subject":"a","durable":"d"}""", "protocolsettings.durable")]
    [InlineData("nats://127.0.0.1", """{"subject":"a","topic":"x"}""", "protocolsettings.topic")]
    [InlineData("nats://127.0.0.1", """{"stream":"S"}""", "protocolsettings.durable")]
    [InlineData("nats://127.0.0.1", """{"stream":"S.x","durable":"d"}""", "protocolsettings.stream")]
    [InlineData("nats://127.0.0.1", """{"stream":"S","durable":"d/e"}""", "protocolsettings.durable")]
    [InlineData("nats://127.0.0.1", """{"stream":"S","durable":"d","queuegroup":"q"}""", "protocolsettings.queuegroup")]
    [InlineData("nats://127.0.0.1", """{"stream":"S","durable":"d","ackwait":"PT0.5S"}""", "protocolsettings.ackwait")]
    [InlineData("nats://127.0.0.1", """{"stream":"S","durable":"d","ackwait":"soon"}""", "protocolsettings.ackwait")]
    public void InvalidSettings_NameTheField(string address, string settings, string field)
    {
        Assert.Equal([field], SourceSpecs.Validate(_binding, SourceSpecs.Create(address, settings)));
    }

    [Fact]
    public void Credential_IsPlainOrAccessToken()
    {
        var refresh = new SinkCredential { CredentialType = SinkCredential.RefreshTokenType, AccessToken = "a", RefreshToken = "r" };
        var token = new SinkCredential { CredentialType = SinkCredential.AccessTokenType, AccessToken = "a" };

        Assert.Equal(["credential.credentialtype"], SourceSpecs.Validate(_binding, SourceSpecs.Create("nats://h", """{"subject":"a"}""", refresh)));
        Assert.Empty(SourceSpecs.Validate(_binding, SourceSpecs.Create("nats://h", """{"subject":"a"}""", token)));
    }
}
