using System.Collections.Frozen;
using Gateway.Filters.Dialects;
using Gateway.Protocols.CloudEvents;

namespace Gateway.Filters;

/// <summary>
/// Everything that decides whether an event goes to a subscription: <c>source</c> (SUB-26, exact), <c>types</c>
/// (SUB-27, any of, exact) and the compiled <c>filters</c> (SUB-28), cheapest first.
/// </summary>
public sealed class SubscriptionFilter : IEventFilter
{
    private readonly string? _source;
    private readonly FrozenSet<string>? _types;
    private readonly IEventFilter _filters;

    /// <summary>Combines the three constraints; null or empty ones do not constrain.</summary>
    public SubscriptionFilter(string? source, IReadOnlyCollection<string>? types, IEventFilter? filters)
    {
        _source = source;
        _types = types is { Count: > 0 } ? types.ToFrozenSet(StringComparer.Ordinal) : null;
        _filters = filters ?? MatchAllFilter.Instance;
    }

    /// <summary>
    /// One constraint every matching event satisfies, for the match index: an exact, prefix or suffix condition on
    /// an attribute, or null when there is none to file by.
    /// </summary>
    internal (AttributeMatchKind Kind, string Attribute, IReadOnlyList<string> Values)? IndexKey(IReadOnlyList<string> attributes)
    {
        if (_types is not null)
        {
            return (AttributeMatchKind.Exact, CloudEventAttributes.Type, [.. _types]);
        }

        if (_source is not null)
        {
            return (AttributeMatchKind.Exact, CloudEventAttributes.Source, [_source]);
        }

        var parts = _filters is AllFilter all ? all.Parts : [_filters];
        foreach (var attribute in attributes)
        {
            foreach (var kind in new[] { AttributeMatchKind.Exact, AttributeMatchKind.Prefix, AttributeMatchKind.Suffix })
            {
                foreach (var part in parts)
                {
                    if (part is AttributeFilter filter && filter.Kind == kind
                        && filter.Conditions.FirstOrDefault(c => c.Attribute == attribute) is { Value: { } value })
                    {
                        return (kind, attribute, [value]);
                    }
                }
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public bool Matches(CloudEvent cloudEvent) =>
        (_source is null || string.Equals(_source, cloudEvent.Source, StringComparison.Ordinal))
        && (_types is null || _types.Contains(cloudEvent.Type))
        && _filters.Matches(cloudEvent);
}
