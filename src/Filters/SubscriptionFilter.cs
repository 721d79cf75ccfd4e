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
    /// Constraints for the match index, one of which every matching event satisfies: exact, prefix or suffix
    /// conditions on the given attributes (several when the subscription lists several types, or for an <c>any</c>
    /// whose every branch has one); null when there is nothing to file by.
    /// </summary>
    internal IReadOnlyList<IndexKey>? IndexKeys(IReadOnlyList<string> attributes)
    {
        if (_types is not null)
        {
            return [.. _types.Select(t => new IndexKey(AttributeMatchKind.Exact, CloudEventAttributes.Type, t))];
        }

        return _source is not null
            ? [new IndexKey(AttributeMatchKind.Exact, CloudEventAttributes.Source, _source)]
            : KeysOf(_filters, attributes);
    }

    private static List<IndexKey>? KeysOf(IEventFilter filter, IReadOnlyList<string> attributes) => filter switch
    {
        AttributeFilter condition => BestCondition(condition, attributes) is { } key ? [key] : null,

        // Any one conjunct's keys will do; the fewest, then the most selective (attribute order, then exact first).
        AllFilter all => all.Parts.Select(p => KeysOf(p, attributes)).OfType<List<IndexKey>>()
            .OrderBy(keys => keys.Count).ThenBy(keys => Rank(keys[0], attributes)).FirstOrDefault(),

        // Every alternative must have keys, or an event could match without being filed under any.
        AnyFilter any => any.Parts.Select(p => KeysOf(p, attributes)).ToList() is var branches && branches.All(b => b is not null)
            ? [.. branches.SelectMany(b => b!)]
            : null,
        _ => null,
    };

    private static IndexKey? BestCondition(AttributeFilter filter, IReadOnlyList<string> attributes) =>
        attributes.SelectMany(a => filter.Conditions.Where(c => c.Attribute == a))
            .Select(c => (IndexKey?)new IndexKey(filter.Kind, c.Attribute, c.Value))
            .FirstOrDefault();

    private static int Rank(IndexKey key, IReadOnlyList<string> attributes) =>
        (attributes.TakeWhile(a => a != key.Attribute).Count() * 3) + (int)key.Kind;

    /// <inheritdoc/>
    public bool Matches(CloudEvent cloudEvent) =>
        (_source is null || string.Equals(_source, cloudEvent.Source, StringComparison.Ordinal))
        && (_types is null || _types.Contains(cloudEvent.Type))
        && _filters.Matches(cloudEvent);
}

/// <summary>One constraint the match index files a subscription under: an attribute compared exactly, by prefix or by suffix.</summary>
internal readonly record struct IndexKey(AttributeMatchKind Kind, string Attribute, string Value);
