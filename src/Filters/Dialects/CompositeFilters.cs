using Gateway.Protocols.CloudEvents;

namespace Gateway.Filters.Dialects;

/// <summary>Passes when every part passes; short-circuits on the first that fails.</summary>
internal sealed class AllFilter : IEventFilter
{
    private readonly IEventFilter[] _parts;

    private AllFilter(IEventFilter[] parts) => _parts = parts;

    /// <summary>The conjoined parts, for the match index to find a constraint it can file by.</summary>
    public IReadOnlyList<IEventFilter> Parts => _parts;

    /// <summary>The conjunction of <paramref name="parts"/>, without a wrapper for zero or one part.</summary>
    public static IEventFilter Of(IEventFilter[] parts) => parts.Length switch
    {
        0 => MatchAllFilter.Instance,
        1 => parts[0],
        _ => new AllFilter(parts),
    };

    public bool Matches(CloudEvent cloudEvent)
    {
        foreach (var part in _parts)
        {
            if (!part.Matches(cloudEvent))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Passes when any part passes; short-circuits on the first that does.</summary>
internal sealed class AnyFilter(IEventFilter[] parts) : IEventFilter
{
    /// <summary>The alternatives, for the match index to file the subscription under each one's constraint.</summary>
    public IReadOnlyList<IEventFilter> Parts => parts;

    public bool Matches(CloudEvent cloudEvent)
    {
        foreach (var part in parts)
        {
            if (part.Matches(cloudEvent))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Inverts its part. Around a missing attribute this yields true (§7.2, G11), unlike CESQL's NOT.</summary>
internal sealed class NotFilter(IEventFilter inner) : IEventFilter
{
    public bool Matches(CloudEvent cloudEvent) => !inner.Matches(cloudEvent);
}

/// <summary>Passes every event: what an absent or empty <c>filters</c> means (FLT-01).</summary>
internal sealed class MatchAllFilter : IEventFilter
{
    public static readonly MatchAllFilter Instance = new();

    public bool Matches(CloudEvent cloudEvent) => true;
}
