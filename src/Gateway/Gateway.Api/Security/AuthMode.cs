namespace Gateway.Security;

/// <summary><c>Gateway:Auth:Mode</c>.</summary>
internal enum AuthMode
{
    /// <summary>Authenticate when keys or a token issuer are configured; open only when listening on loopback alone.</summary>
    Auto,

    /// <summary>Authenticate always; refuse to start when nothing is configured to authenticate with.</summary>
    Required,

    /// <summary>Open to anyone who can reach the gateway, wherever it listens. Said at start.</summary>
    None,
}
