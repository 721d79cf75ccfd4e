using System.Globalization;
using System.Net.Http.Headers;
using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Http;

/// <summary>
/// The access token of a <c>REFRESHTOKEN</c> credential (§6.4), renewed through <c>refreshtokenendpoint</c> before
/// <c>accesstokenexpiresutc</c> and whenever the sink refuses it. One refresh runs at a time; concurrent deliveries
/// share it.
/// </summary>
internal sealed class RefreshedAccessToken
{
    private readonly HttpClient _client;
    private readonly Uri _endpoint;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly Lock _lock = new();
    private TokenState _current;
    private Task<TokenState>? _refresh;

    /// <summary>Starts from the credential's token; a refresh may take up to <paramref name="timeout"/>.</summary>
    public RefreshedAccessToken(HttpClient client, SinkCredential credential, TimeProvider time, TimeSpan timeout)
    {
        _client = client;
        _endpoint = new Uri(credential.RefreshTokenEndpoint!);
        _time = time;
        _timeout = timeout;
        _current = new TokenState(
            HttpAuthorization.Header(credential.TokenType, credential.AccessToken!),
            TokenLifetime.RefreshAt(time.GetUtcNow(), Instant(credential.AccessTokenExpiresUtc)),
            credential.RefreshToken!);
    }

    /// <summary>The header to send now, refreshing first when the token is due.</summary>
    public ValueTask<AuthenticationHeaderValue> HeaderAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        return _time.GetUtcNow() < current.RefreshAt
            ? ValueTask.FromResult(current.Header)
            : new ValueTask<AuthenticationHeaderValue>(RefreshedAsync(current, cancellationToken));
    }

    /// <summary>The sink answered 401 to <paramref name="sent"/>: the next delivery refreshes first.</summary>
    public void Refused(AuthenticationHeaderValue sent)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_current.Header, sent))
            {
                _current = _current with { RefreshAt = DateTimeOffset.MinValue };
            }
        }
    }

    private async Task<AuthenticationHeaderValue> RefreshedAsync(TokenState due, CancellationToken cancellationToken)
    {
        Task<TokenState> refresh;
        lock (_lock)
        {
            if (!ReferenceEquals(_current, due))
            {
                return _current.Header;
            }

            // A finished refresh that failed is not reused: this caller tries again.
            if (_refresh is { IsCompleted: true })
            {
                _refresh = null;
            }

            refresh = _refresh ??= RefreshAsync(due);
        }

        // A caller that gives up leaves the shared refresh running for the others.
        return (await refresh.WaitAsync(cancellationToken)).Header;
    }

    private async Task<TokenState> RefreshAsync(TokenState due)
    {
        try
        {
            using var timeout = new CancellationTokenSource(_timeout, _time);
            var now = _time.GetUtcNow();
            var grant = await TokenEndpoint.RefreshAsync(_client, _endpoint, due.RefreshToken, now, timeout.Token);
            var renewed = new TokenState(
                HttpAuthorization.Header(grant.TokenType, grant.AccessToken),
                TokenLifetime.RefreshAt(now, grant.ExpiresUtc),
                grant.RefreshToken ?? due.RefreshToken);
            lock (_lock)
            {
                _current = renewed;
            }

            return renewed;
        }
        catch (OperationCanceledException)
        {
            throw new TokenRefreshException($"the token endpoint did not answer within {_timeout.TotalSeconds:0} s");
        }
    }

    private static DateTimeOffset? Instant(string? rfc3339) =>
        DateTimeOffset.TryParse(rfc3339, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? instant
            : null;

    private sealed record TokenState(AuthenticationHeaderValue Header, DateTimeOffset RefreshAt, string RefreshToken);
}

/// <summary>When to renew a token: before it expires, by a margin that suits its lifetime.</summary>
internal static class TokenLifetime
{
    /// <summary>The most a token is renewed ahead of its expiry.</summary>
    public static readonly TimeSpan MaxMargin = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A minute before <paramref name="expires"/>, or half-way for tokens that live less than two minutes; never,
    /// when the expiry is unknown (the sink's 401 then asks for a new one).
    /// </summary>
    public static DateTimeOffset RefreshAt(DateTimeOffset obtained, DateTimeOffset? expires)
    {
        if (expires is not { } expiry)
        {
            return DateTimeOffset.MaxValue;
        }

        var lifetime = expiry - obtained;
        return lifetime <= TimeSpan.Zero ? obtained : expiry - TimeSpan.FromTicks(Math.Min(MaxMargin.Ticks, lifetime.Ticks / 2));
    }
}
