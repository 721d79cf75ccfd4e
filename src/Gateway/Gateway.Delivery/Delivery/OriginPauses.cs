using System.Collections.Concurrent;

namespace Gateway.Delivery;

/// <summary>
/// Sink origins (scheme, host, port) that asked for a pause with 429 and <c>Retry-After</c>. WH-06: nothing is sent
/// to that origin before then, by any subscription.
/// </summary>
internal sealed class OriginPauses
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _until = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The origin of a sink URI, or null when the sink is not a URL with an authority.</summary>
    public static string? OriginOf(string sink) =>
        Uri.TryCreate(sink, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Authority)
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;

    public void Pause(string origin, DateTimeOffset until) =>
        _until.AddOrUpdate(origin, until, (_, current) => until > current ? until : current);

    /// <summary>The end of the pause of <paramref name="origin"/>, or null when it is not paused at <paramref name="now"/>.</summary>
    public DateTimeOffset? PausedUntil(string? origin, DateTimeOffset now) =>
        origin is not null && _until.TryGetValue(origin, out var until) && until > now ? until : null;
}
