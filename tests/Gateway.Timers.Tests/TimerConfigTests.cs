using System.Text.Json.Nodes;
using Gateway.Protocols.Abstractions;
using Gateway.Timers;

namespace Gateway.Timers.Tests;

/// <summary>The subscription <c>config</c> keys (SUB-09, SUB-10): what is accepted, and the field each error names.</summary>
public sealed class TimerConfigTests
{
    private static (TimerConfig? Config, List<ValidationError> Errors) Read(string json)
    {
        var errors = new List<ValidationError>();
        return (TimerConfig.Read(JsonNode.Parse(json)!.AsObject(), errors), errors);
    }

    [Theory]
    [InlineData("""{"interval":5,"data":"hello"}""")]
    [InlineData("""{"interval":"5"}""")]
    [InlineData("""{"cron":"*/5 * * * *"}""")]
    [InlineData("""{"cron":"0 2 * * 7","timezone":"Europe/Berlin","data":{"name":"Odin"}}""")]
    [InlineData("""{"cron":"*/30 * * * * *","startdate":"2030-01-01T00:00:00Z","stopdate":"2030-01-31T23:59:00+01:00"}""")]
    [InlineData("""{"interval":60,"data":[1,2],"startdate":"2030-01-01T00:00:00.5Z"}""")]
    public void Valid_IsATimer(string json)
    {
        var (config, errors) = Read(json);

        Assert.Empty(errors);
        Assert.NotNull(config);
    }

    [Fact]
    public void AnEmptyConfig_IsValid_AndNoTimer()
    {
        var (config, errors) = Read("{}");

        Assert.Empty(errors);
        Assert.Null(config);
    }

    [Fact]
    public void DefaultsAndValues_AreRead()
    {
        var (cron, _) = Read("""{"cron":"0 9 * * *","data":"hello"}""");
        var (interval, _) = Read("""{"interval":"90","stopdate":"2030-01-01T00:00:00Z"}""");

        Assert.Same(TimeZoneInfo.Utc, cron!.Zone);
        Assert.Equal("\"hello\"", cron.Data!.ToJsonString());
        Assert.Null(cron.Interval);
        Assert.Equal(TimeSpan.FromSeconds(90), interval!.Interval);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), interval.Stop);
        Assert.Null(interval.Data);
    }

    [Theory]
    [InlineData("""{"interval":0}""", "config.interval")]
    [InlineData("""{"interval":-5}""", "config.interval")]
    [InlineData("""{"interval":1.5}""", "config.interval")]
    [InlineData("""{"interval":"five"}""", "config.interval")]
    [InlineData("""{"interval":true}""", "config.interval")]
    [InlineData("""{"interval":99999999999}""", "config.interval")]
    [InlineData("""{"cron":"61 * * * *"}""", "config.cron")]
    [InlineData("""{"cron":5}""", "config.cron")]
    [InlineData("""{"cron":"* * * * *","timezone":"Mars/Olympus_Mons"}""", "config.timezone")]
    [InlineData("""{"cron":"* * * * *","timezone":""}""", "config.timezone")]
    [InlineData("""{"cron":"* * * * *","timezone":"Europe"}""", "config.timezone")]
    [InlineData("""{"cron":"* * * * *","timezone":"../../../etc/passwd"}""", "config.timezone")]
    [InlineData("""{"cron":"* * * * *","timezone":"/etc/localtime"}""", "config.timezone")]
    [InlineData("""{"interval":5,"timezone":"Europe/Berlin"}""", "config.timezone")]
    [InlineData("""{"interval":5,"startdate":"tomorrow"}""", "config.startdate")]
    [InlineData("""{"interval":5,"startdate":"2030-01-01"}""", "config.startdate")]
    [InlineData("""{"interval":5,"stopdate":20300101}""", "config.stopdate")]
    [InlineData("""{"interval":5,"startdate":"2030-01-02T00:00:00Z","stopdate":"2030-01-01T00:00:00Z"}""", "config.stopdate")]
    [InlineData("""{"interval":5,"cron":"* * * * *"}""", "config")]
    [InlineData("""{"data":"hello"}""", "config")]
    [InlineData("""{"interval":5,"color":"red"}""", "config.color")]
    [InlineData("""{"interval":5,"":1}""", "config")]
    public void Invalid_NamesTheField(string json, string field)
    {
        var (config, errors) = Read(json);

        Assert.Null(config);
        Assert.Equal([field], errors.Select(e => e.Field));
    }

    [Fact]
    public void UnknownKeys_NameWhatIsAccepted()
    {
        var (_, errors) = Read("""{"frequency":5}""");

        Assert.Contains(errors, e => e.Field == "config.frequency" && e.Message.Contains("interval, cron, timezone, data, startdate, stopdate", StringComparison.Ordinal));
    }
}
