using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Http;

/// <summary>
/// The renewed tokens of the live senders, so a sender rebuilt for a new version of its subscription (an update
/// that kept the credential) goes on with the token and rotated refresh token its predecessor obtained, rather
/// than refreshing again with one the token endpoint may have retired. An entry lives while a sender uses it.
/// </summary>
internal sealed class RefreshedTokens(HttpClient client, TimeProvider time, TimeSpan timeout)
{
    private readonly Dictionary<Key, Entry> _entries = [];

    /// <summary>The token for <paramref name="credential"/>; give it back with <see cref="Return"/>.</summary>
    public RefreshedAccessToken Rent(string subscriptionId, SinkCredential credential)
    {
        var key = new Key(subscriptionId, credential);
        lock (_entries)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                entry = new Entry(new RefreshedAccessToken(client, credential, time, timeout));
                _entries.Add(key, entry);
            }

            entry.Users++;
            return entry.Token;
        }
    }

    public void Return(string subscriptionId, SinkCredential credential)
    {
        var key = new Key(subscriptionId, credential);
        lock (_entries)
        {
            if (_entries.TryGetValue(key, out var entry) && --entry.Users == 0)
            {
                _entries.Remove(key);
            }
        }
    }

    /// <summary>The subscription and the credential as stored: a changed credential starts afresh.</summary>
    private readonly record struct Key(string SubscriptionId, SinkCredential Credential);

    private sealed class Entry(RefreshedAccessToken token)
    {
        public RefreshedAccessToken Token { get; } = token;

        public int Users { get; set; }
    }
}
