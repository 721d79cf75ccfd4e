using System.Net.Http.Headers;
using System.Text.Json;

namespace Gateway.Protocols.Http;

/// <summary>
/// The OAuth 2.0 refresh grant (RFC 6749 §6) at a credential's <c>refreshtokenendpoint</c> (§6.4). The gateway
/// presents no client credentials of its own: authorizing it there is out of the spec's scope, so it acts as a
/// public client.
/// </summary>
internal static class TokenEndpoint
{
    /// <summary>A token answer is a small JSON object; anything larger is refused unread.</summary>
    private const int MaxAnswerBytes = 64 * 1024;

    /// <summary>Trades <paramref name="refreshToken"/> for a new access token, or throws <see cref="TokenRefreshException"/>.</summary>
    public static async Task<TokenGrant> RefreshAsync(
        HttpClient client, Uri endpoint, string refreshToken, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new FormUrlEncodedContent([new("grant_type", "refresh_token"), new("refresh_token", refreshToken)]),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            await response.Content.LoadIntoBufferAsync(MaxAnswerBytes, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return response.IsSuccessStatusCode
                ? Grant(body, now)
                : throw new TokenRefreshException($"the token endpoint answered {(int)response.StatusCode}{ErrorOf(body)}");
        }
        catch (HttpRequestException ex) when (SinkHttpClient.IsRefusedByGuard(ex, out var refused))
        {
            throw new TokenRefreshException(refused);
        }
        catch (HttpRequestException ex)
        {
            throw new TokenRefreshException(ex.Message);
        }
    }

    /// <summary>RFC 6749 §5.1: <c>access_token</c> and <c>token_type</c>, optionally <c>expires_in</c> and a rotated <c>refresh_token</c>.</summary>
    private static TokenGrant Grant(byte[] body, DateTimeOffset now)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var answer = document.RootElement;
            if (Text(answer, "access_token") is not { Length: > 0 } accessToken)
            {
                throw new TokenRefreshException("the token endpoint's answer has no access_token (RFC 6749 §5.1)");
            }

            DateTimeOffset? expires = answer.TryGetProperty("expires_in", out var lifetime) && lifetime.ValueKind == JsonValueKind.Number
                && lifetime.TryGetDouble(out var seconds) && seconds is > 0 and < int.MaxValue
                    ? now.AddSeconds(seconds)
                    : null;
            return new TokenGrant(accessToken, Text(answer, "token_type"), expires, Text(answer, "refresh_token"));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new TokenRefreshException("the token endpoint's answer is not a JSON object (RFC 6749 §5.1)");
        }
    }

    /// <summary>RFC 6749 §5.2's <c>error</c> code and description, which say why; never the tokens.</summary>
    private static string ErrorOf(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var answer = document.RootElement;
            var error = Text(answer, "error");
            var description = Text(answer, "error_description");
            return error is null ? string.Empty
                : description is null ? $": {error}"
                : $": {error} ({(description.Length > 200 ? description[..200] : description)})";
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return string.Empty;
        }
    }

    private static string? Text(JsonElement answer, string name) =>
        answer.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>A new access token from the token endpoint.</summary>
/// <param name="AccessToken">The token to send.</param>
/// <param name="TokenType">Its type, <c>bearer</c> when the answer named none.</param>
/// <param name="ExpiresUtc">When it expires, or null when the answer did not say.</param>
/// <param name="RefreshToken">A rotated refresh token, or null to keep using the one given.</param>
internal sealed record TokenGrant(string AccessToken, string? TokenType, DateTimeOffset? ExpiresUtc, string? RefreshToken);

/// <summary>The access token could not be refreshed; the message says why, without any token.</summary>
internal sealed class TokenRefreshException(string message) : Exception(message);
