namespace Gateway.Security;

/// <summary>Says at start how callers are authenticated, and loudly when they are not.</summary>
internal static partial class AuthStartLog
{
    public static void Write(ILogger logger, AuthOptions auth, string urls)
    {
        if (auth.Enforced)
        {
            Log.Enforced(logger, auth.ApiKeys.Count, auth.Jwt?.Issuer ?? "none", auth.AnonymousIngress ? "open to anyone" : "needs events:write");
        }
        else if (auth.Mode == AuthMode.None)
        {
            Log.OpenOnPurpose(logger, urls);
        }
        else
        {
            Log.OpenOnLoopback(logger, urls);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(90, LogLevel.Information, "Authentication: {Keys} API keys, token issuer {Issuer}; ingress {Ingress}")]
        public static partial void Enforced(ILogger logger, int keys, string issuer, string ingress);

        [LoggerMessage(91, LogLevel.Warning, "Authentication is off (Gateway:Auth:Mode=none): anyone who reaches {Urls} may manage every subscription")]
        public static partial void OpenOnPurpose(ILogger logger, string urls);

        [LoggerMessage(92, LogLevel.Warning, "Authentication is off: no API keys or token issuer are configured, and {Urls} is loopback only")]
        public static partial void OpenOnLoopback(ILogger logger, string urls);
    }
}
