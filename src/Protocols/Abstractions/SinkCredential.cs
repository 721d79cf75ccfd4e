namespace Gateway.Protocols.Abstractions;

/// <summary>
/// The <c>sinkcredential</c> of a subscription (§6.4). Write-only: the API never returns it (SUB-15).
/// </summary>
public sealed record SinkCredential
{
    /// <summary><c>PLAIN</c>: <see cref="Identifier"/> and <see cref="Secret"/>.</summary>
    public const string Plain = "PLAIN";

    /// <summary><c>ACCESSTOKEN</c>: <see cref="AccessToken"/>.</summary>
    public const string AccessTokenType = "ACCESSTOKEN";

    /// <summary><c>REFRESHTOKEN</c>: <see cref="AccessToken"/> plus <see cref="RefreshToken"/>.</summary>
    public const string RefreshTokenType = "REFRESHTOKEN";

    /// <summary><c>credentialtype</c>. This field is required.</summary>
    public required string CredentialType { get; init; }

    /// <summary><c>identifier</c> (PLAIN).</summary>
    public string? Identifier { get; init; }

    /// <summary><c>secret</c> (PLAIN).</summary>
    public string? Secret { get; init; }

    /// <summary><c>accesstoken</c> (ACCESSTOKEN, REFRESHTOKEN).</summary>
    public string? AccessToken { get; init; }

    /// <summary><c>accesstokentype</c>; the OAuth token type, <c>bearer</c> when absent (G8).</summary>
    public string? TokenType { get; init; }

    /// <summary><c>accesstokenexpiresutc</c> as given (RFC 3339).</summary>
    public string? AccessTokenExpiresUtc { get; init; }

    /// <summary><c>refreshtoken</c> (REFRESHTOKEN).</summary>
    public string? RefreshToken { get; init; }

    /// <summary><c>refreshtokenendpoint</c> (REFRESHTOKEN).</summary>
    public string? RefreshTokenEndpoint { get; init; }
}
