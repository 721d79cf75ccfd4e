namespace Gateway.Security;

/// <summary>Where a request carries its credential.</summary>
internal static class PresentedCredentials
{
    /// <summary>
    /// <c>X-Api-Key</c>, else <c>Authorization: Bearer</c>, else on <c>POST /events</c> only the <c>access_token</c>
    /// query parameter (WH-08 lets webhook producers send it so); elsewhere a query would put the key in access logs.
    /// </summary>
    public static string? Find(HttpRequest request)
    {
        if (request.Headers["X-Api-Key"].ToString() is { Length: > 0 } key)
        {
            return key;
        }

        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Length > 7)
        {
            return authorization[7..].Trim();
        }

        return HttpMethods.IsPost(request.Method) && request.Path == "/events"
            && request.Query["access_token"].ToString() is { Length: > 0 } token
            ? token
            : null;
    }

    /// <summary>A JWS in compact form (RFC 7515 §7.1): three base64url parts; an API key is one opaque word.</summary>
    public static bool IsJwt(string credential) => credential.Count(c => c == '.') == 2;
}
