namespace Gateway.Security;

/// <summary>
/// One configured key: <c>Gateway:Auth:ApiKeys:{Name}:Sha256</c> (only the hash is kept, so configuration never holds
/// the key itself), <c>:Scopes</c>, and <c>:Sources</c>, the event <c>source</c> prefixes it may post (WH-08).
/// </summary>
internal sealed record ApiKey(string Name, byte[] Sha256, IReadOnlySet<string> Scopes, IReadOnlyList<string> SourcePrefixes);
