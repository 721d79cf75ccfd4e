using Gateway.Protocols.Http;

namespace Gateway.Protocols.Tests;

/// <summary>When a REFRESHTOKEN credential's access token is renewed (§6.4: before <c>accesstokenexpiresutc</c>).</summary>
public sealed class TokenLifetimeTests
{
    private static readonly DateTimeOffset Obtained = new(2026, 12, 8, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AnHourLongToken_IsRenewedAMinuteBeforeItExpires() =>
        Assert.Equal(Obtained.AddMinutes(59), TokenLifetime.RefreshAt(Obtained, Obtained.AddHours(1)));

    [Fact]
    public void AShortLivedToken_IsRenewedHalfWay() =>
        Assert.Equal(Obtained.AddSeconds(20), TokenLifetime.RefreshAt(Obtained, Obtained.AddSeconds(40)));

    [Fact]
    public void AnExpiredToken_IsRenewedAtOnce() =>
        Assert.Equal(Obtained, TokenLifetime.RefreshAt(Obtained, Obtained.AddSeconds(-5)));

    [Fact]
    public void ATokenWithoutAnExpiry_IsRenewedOnlyWhenTheSinkRefusesIt() =>
        Assert.Equal(DateTimeOffset.MaxValue, TokenLifetime.RefreshAt(Obtained, null));
}
