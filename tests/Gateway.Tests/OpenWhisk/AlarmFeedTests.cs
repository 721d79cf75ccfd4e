using System.Globalization;
using System.Text.Json.Nodes;
using Gateway.OpenWhisk;

namespace Gateway.Tests.OpenWhisk;

/// <summary>The OpenWhisk alarms package's parameters, read by the feed provider into a timer subscription.</summary>
public sealed class AlarmFeedTests
{
    private static DateTimeOffset At(string time) => DateTimeOffset.Parse(time, CultureInfo.InvariantCulture);

    private static readonly DateTimeOffset Now = At("2025-01-01T12:00:00.4Z");

    private static FeedRequest Parse(string lifecycle, string parameters)
    {
        var body = JsonNode.Parse($$$"""
            {"lifecycleEvent":"{{{lifecycle}}}","triggerName":"/guest/tick","authKey":"uuid:key","apihost":"https://ow.example"{{{parameters}}}}
            """);
        var (request, error) = FeedRequest.Parse(body, Now);
        return request ?? throw new InvalidOperationException(error);
    }

    private static string? Error(string parameters) =>
        FeedRequest.Parse(JsonNode.Parse($$$"""
            {"lifecycleEvent":"CREATE","triggerName":"/guest/tick","authKey":"uuid:key","apihost":"https://ow.example"{{{parameters}}}}
            """), Now).Error;

    [Fact]
    public void TheAlarmFeed_BecomesACronConfig_FiringWithThePayloadAsParameters()
    {
        var subscription = Parse("CREATE", """
            ,"cron":"*/5 * * * *","timezone":"Europe/Berlin","trigger_payload":{"name":"Odin"},
             "startDate":1893456000000,"stopDate":"2030-01-31T23:59:00.000Z"
            """).ToSubscription();

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"cron":"*/5 * * * *","timezone":"Europe/Berlin","startdate":"2030-01-01T00:00:00Z",
             "stopdate":"2030-01-31T23:59:00Z","data":{"name":"Odin"}}
            """), subscription["config"]));
        Assert.Equal("data", subscription["protocolsettings"]!["payload"]!.GetValue<string>());
        Assert.Equal("OPENWHISK", subscription["protocol"]!.GetValue<string>());
    }

    [Fact]
    public void TheIntervalFeed_CountsMinutes_AndStartsAtTheNextWholeSecond()
    {
        var config = Parse("CREATE", ""","minutes":"2","trigger_payload":"tick" """).ToSubscription()["config"];

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"interval":120,"data":{"payload":"tick"},"startdate":"2025-01-01T12:00:01Z"}
            """), config));
    }

    [Fact]
    public void WithoutAPayload_TheTriggerFiresWithAnEmptyObject()
    {
        var config = Parse("CREATE", ""","cron":"0 * * * *" """).ToSubscription()["config"];

        Assert.Equal("{}", config!["data"]!.ToJsonString());
    }

    [Fact]
    public void AnUpdate_ReplacesOnlyTheAlarmParametersItNames()
    {
        var kept = Parse("CREATE", ""","cron":"0 * * * *","trigger_payload":{"v":1},"timezone":"UTC" """).ToSubscription()["config"]!.AsObject();

        var payloadOnly = Parse("UPDATE", ""","trigger_payload":{"v":2}""").ToSubscription(kept)["config"];
        var nothing = Parse("UPDATE", "").ToSubscription(kept)["config"];

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"cron":"0 * * * *","data":{"v":2},"timezone":"UTC"}"""), payloadOnly));
        Assert.True(JsonNode.DeepEquals(kept, nothing));
    }

    [Fact]
    public void AFeedWithoutAlarmParameters_StaysAnEventFeed()
    {
        var subscription = Parse("CREATE", ""","types":["com.example.a"]""").ToSubscription();

        Assert.Null(subscription["config"]);
        Assert.Equal("event", subscription["protocolsettings"]!["payload"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(""","minutes":0""", "minutes")]
    [InlineData(""","minutes":"soon" """, "minutes")]
    [InlineData(""","cron":"* * * * *","startDate":"someday" """, "startDate")]
    [InlineData(""","cron":"* * * * *","stopDate":true""", "stopDate")]
    [InlineData(""","trigger_payload":{"a":1}""", "cron")]
    [InlineData(""","date":"2030-01-01T00:00:00Z" """, "once")]
    public void BadParameters_AreRefused_WithTheParameterNamed(string parameters, string named)
    {
        Assert.Contains(named, Error(parameters), StringComparison.Ordinal);
    }
}
