using System.Net;
using System.Text.Json.Nodes;
using Gateway.SpecConformance.Infrastructure;

namespace Gateway.SpecConformance;

/// <summary>Create and update validation (spec/cloudevents.md §6.6): a 400 problem naming every bad field.</summary>
public sealed class SubscriptionValidationTests(ConformanceEnvironment env)
{
    private async Task<string[]> ErrorFieldsOfAsync(string body)
    {
        using var response = await env.Client.PostAsync("subscriptions", GatewayApi.Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return [.. JsonNode.Parse(text)!["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>())];
    }

    private string Sink => env.Sink.Url(env.Sink.NewPath());

    [Fact]
    public async Task Create_WithoutSinkAndProtocol_NamesBoth()
    {
        var fields = await ErrorFieldsOfAsync("{}");

        Assert.Contains("sink", fields);
        Assert.Contains("protocol", fields);
    }

    [Fact]
    public async Task Create_BodyIsNotJson_Answers400()
    {
        var fields = await ErrorFieldsOfAsync("{not json");

        Assert.Equal(["$"], fields);
    }

    /// <summary>
    /// §6.3: the setting a protocol cannot deliver without is required wherever that protocol is used, a dead-letter
    /// destination included (its binding checks it, not the subscription's validator alone).
    /// </summary>
    [Theory]
    [InlineData("MQTT5", "mqtt://broker.example:1883", "topicname")]
    [InlineData("KAFKA", "kafka://broker.example:9092", "topicname")]
    [InlineData("NATS", "nats://broker.example:4222", "subject")]
    public async Task RequiredProtocolSetting_IsNamed_ForTheSinkAndForADeadLetterDestination(string protocol, string address, string setting)
    {
        var sinkFields = await ErrorFieldsOfAsync($$$"""{"sink":"{{{address}}}","protocol":"{{{protocol}}}"}""");
        var deadLetterFields = await ErrorFieldsOfAsync($$$"""
            {"sink":"{{{Sink}}}","protocol":"HTTP","delivery":{"deadletter":{"protocol":"{{{protocol}}}","sink":"{{{address}}}"} } }
            """);

        Assert.Equal([$"protocolsettings.{setting}"], sinkFields);
        Assert.Equal([$"delivery.deadletter.protocolsettings.{setting}"], deadLetterFields);
    }

    [Fact]
    public async Task SUB_16_Protocol_IsCaseSensitive()
    {
        var fields = await ErrorFieldsOfAsync($$$"""{"sink":"{{{Sink}}}","protocol":"http"}""");

        Assert.Contains("protocol", fields);
    }

    [Theory]
    [InlineData("KAFKA", "topicname")]
    [InlineData("MQTT3", "topicname")]
    [InlineData("MQTT5", "topicname")]
    [InlineData("NATS", "subject")]
    public async Task SUB_17_SUB_19_RequiredSettingsOfKnownProtocols_AreValidated(string protocol, string setting)
    {
        var fields = await ErrorFieldsOfAsync($$$"""{"sink":"broker.example:1234","protocol":"{{{protocol}}}"}""");

        Assert.Contains($"protocolsettings.{setting}", fields);
    }

    [Fact]
    public async Task SUB_14_HttpSink_MustBeAnHttpUrl()
    {
        var fields = await ErrorFieldsOfAsync("""{"sink":"ftp://example.com/x","protocol":"HTTP"}""");

        Assert.Equal(["sink"], fields);
    }

    [Fact]
    public async Task SUB_05_SUB_07_EmptySourceAndTypes_AreRejected()
    {
        var fields = await ErrorFieldsOfAsync($$$"""{"sink":"{{{Sink}}}","protocol":"HTTP","source":"","types":["ok",""]}""");

        Assert.Contains("source", fields);
        Assert.Contains("types[1]", fields);
    }

    [Fact]
    public async Task EmptyTypesArray_IsRejected()
    {
        var fields = await ErrorFieldsOfAsync($$$"""{"sink":"{{{Sink}}}","protocol":"HTTP","types":[]}""");

        Assert.Equal(["types"], fields);
    }

    [Fact]
    public async Task FLT_03_FLT_12_EveryFilterErrorIsReportedAtOnce()
    {
        var fields = await ErrorFieldsOfAsync($$$"""
            {"sink":"{{{Sink}}}","protocol":"HTTP",
             "filters":[{"foo":{"type":"x"}},{"all":[]},{"exact":{"type":""}}]}
            """);

        Assert.Equal(["filters[0].foo", "filters[1].all", "filters[2].exact.type"], fields);
    }

    [Fact]
    public async Task SUB_10_ConfigKeysNotAdvertised_AreRejected()
    {
        var fields = await ErrorFieldsOfAsync($$$"""{"sink":"{{{Sink}}}","protocol":"HTTP","config":{"interval":5,"color":"red"}}""");

        Assert.Equal(["config.color"], fields);
    }

    [Theory]
    [InlineData("""{"interval":0}""", "config.interval")]
    [InlineData("""{"cron":"61 * * * *"}""", "config.cron")]
    [InlineData("""{"cron":"0 9 * * *","timezone":"Nowhere/Special"}""", "config.timezone")]
    [InlineData("""{"interval":5,"startdate":"soon"}""", "config.startdate")]
    [InlineData("""{"interval":5,"cron":"* * * * *"}""", "config")]
    [InlineData("""{"data":"hello"}""", "config")]
    [InlineData("""{"":1}""", "config")]
    public async Task SUB_09_SUB_10_ConfigValues_AreValidated(string config, string field)
    {
        var fields = await ErrorFieldsOfAsync($$$"""{"sink":"{{{Sink}}}","protocol":"HTTP","config":{{{config}}}}""");

        Assert.Contains(field, fields);
    }

    [Fact]
    public async Task SinkCredential_WithoutCredentialType_IsRejected()
    {
        var fields = await ErrorFieldsOfAsync($$$"""{"sink":"{{{Sink}}}","protocol":"HTTP","sinkcredential":{"identifier":"x"}}""");

        Assert.Equal(["sinkcredential.credentialtype"], fields);
    }

    [Fact]
    public async Task SinkCredential_Plain_NeedsIdentifierAndSecret()
    {
        var fields = await ErrorFieldsOfAsync($$$"""{"sink":"{{{Sink}}}","protocol":"HTTP","sinkcredential":{"credentialtype":"PLAIN"}}""");

        Assert.Equal(["sinkcredential.identifier", "sinkcredential.secret"], fields);
    }

    [Fact]
    public async Task UnknownMember_IsRejected_SoThatTyposSuchAsFilterAreCaught()
    {
        var fields = await ErrorFieldsOfAsync($$$"""{"sink":"{{{Sink}}}","protocol":"HTTP","filter":{"exact":{"type":"x"} } }""");

        Assert.Equal(["filter"], fields);
    }

    [Fact]
    public async Task AmqpIsNotSupported_AndTheAnswerNamesWhatIs()
    {
        using var response = await env.Client.PostAsync("subscriptions", GatewayApi.Json(
            """{"sink":"amqp://broker.example","protocol":"AMQP","protocolsettings":{"address":"q"}}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("HTTP, KAFKA, MQTT3, MQTT5, NATS, OPENWHISK", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WH_02_HttpMethodOtherThanPost_IsRejected()
    {
        var fields = await ErrorFieldsOfAsync($$$"""{"sink":"{{{Sink}}}","protocol":"HTTP","protocolsettings":{"method":"PUT"}}""");

        Assert.Equal(["protocolsettings.method"], fields);
    }
}
