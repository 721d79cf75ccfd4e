using Gateway.Protocols.CloudEvents;

namespace Gateway.Protocols.Tests;

/// <summary>The Timestamp type's canonical form (§2.2): RFC 3339 <c>date-time</c>, checked but never re-formatted.</summary>
public sealed class Rfc3339Tests
{
    [Theory]
    [InlineData("2018-04-05T17:31:00Z")]
    [InlineData("2018-04-05T17:31:00.1Z")]
    [InlineData("2018-04-05T17:31:00.000000000Z")]
    [InlineData("2018-04-05T18:31:00+01:00")]
    [InlineData("2018-04-05T16:31:00-01:00")]
    [InlineData("2018-04-05T17:31:00-00:00")]
    [InlineData("2018-04-05T17:31:00+23:59")]
    [InlineData("2018-04-05t17:31:00z")]
    [InlineData("2016-02-29T00:00:00Z")]
    [InlineData("2016-12-31T23:59:60Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    public void IsValid_Rfc3339DateTime_True(string value)
    {
        Assert.True(Rfc3339.IsValid(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("lunchtime")]
    [InlineData("2018-04-05")]
    [InlineData("2018-04-05T18:31Z")]
    [InlineData("2018-04-05T17:31:00")]
    [InlineData("2018-04-05T17:31:00X")]
    [InlineData("2018-04-05T17:31:00+25:00")]
    [InlineData("2018-04-05T17:31:00+24:00")]
    [InlineData("2018-04-05T17:31:00+05:60")]
    [InlineData("2018-04-05T17:31:00+xx:00")]
    [InlineData("2018-04-05T17:31:00+05")]
    [InlineData("2018-04-05T17:31:00+0500")]
    [InlineData("2018-04-05T17:31:00.Z")]
    [InlineData("2018-04-05T17:31:00.5")]
    [InlineData("2018-04-05T17:31:00Zjunk")]
    [InlineData("2018-04-05 17:31:00Z")]
    [InlineData("2018-13-05T17:31:00Z")]
    [InlineData("2018-00-05T17:31:00Z")]
    [InlineData("2018-04-00T17:31:00Z")]
    [InlineData("2018-04-31T17:31:00Z")]
    [InlineData("2018-02-29T17:31:00Z")]
    [InlineData("2018-04-05T24:00:00Z")]
    [InlineData("2018-04-05T17:60:00Z")]
    [InlineData("2018-04-05T17:31:61Z")]
    [InlineData("18-04-05T17:31:00Z")]
    [InlineData("２018-04-05T17:31:00Z")]
    public void IsValid_NotAnRfc3339DateTime_False(string value)
    {
        Assert.False(Rfc3339.IsValid(value));
    }
}
