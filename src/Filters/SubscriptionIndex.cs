using Gateway.Filters.Dialects;
using Gateway.Protocols.CloudEvents;

namespace Gateway.Filters;

/// <summary>
/// Finds the subscriptions an event matches without trying them all: a subscription with an exact, prefix or suffix
/// constraint on <c>type</c>, <c>source</c> or <c>subject</c> is filed under it and found by hash look-ups (one per
/// distinct prefix or suffix length); an <c>any</c> whose every branch has such a constraint is filed under each
/// branch's; only the rest are tried one by one. Every candidate is then checked with its whole filter, so the index
/// only ever narrows. Immutable: a change of subscriptions builds a new one.
/// </summary>
/// <typeparam name="T">What the index returns for a match (a subscription's worker).</typeparam>
public sealed class SubscriptionIndex<T>
{
    private static readonly string[] IndexedAttributes =
        [CloudEventAttributes.Type, CloudEventAttributes.Source, CloudEventAttributes.Subject];

    private readonly AttributeIndex[] _attributes;
    private readonly Entry[] _residue;

    /// <summary>Builds the index.</summary>
    public SubscriptionIndex(IEnumerable<(T Item, SubscriptionFilter Filter)> subscriptions)
    {
        _attributes = [.. IndexedAttributes.Select(a => new AttributeIndex(a))];
        var residue = new List<Entry>();
        foreach (var (item, filter) in subscriptions)
        {
            var keys = filter.IndexKeys(IndexedAttributes);
            var entry = new Entry(item, filter, FiledMoreThanOnce: keys is { Count: > 1 });
            if (keys is not null)
            {
                foreach (var key in keys)
                {
                    Array.Find(_attributes, a => a.Attribute == key.Attribute)!.Add(key.Kind, key.Value, entry);
                }
            }
            else
            {
                residue.Add(entry);
            }
        }

        _residue = [.. residue];
        foreach (var index in _attributes)
        {
            index.Seal();
        }
    }

    /// <summary>How many subscriptions must be tried one by one for every event.</summary>
    public int ResidueCount => _residue.Length;

    /// <summary>Adds every subscription that <paramref name="cloudEvent"/> matches to <paramref name="matches"/>.</summary>
    public void Match(CloudEvent cloudEvent, List<T> matches)
    {
        foreach (var index in _attributes)
        {
            if (cloudEvent.TryGetAttribute(index.Attribute, out var value))
            {
                index.Match(value.Text, cloudEvent, matches);
            }
        }

        foreach (var entry in _residue)
        {
            entry.AddIfMatches(cloudEvent, matches);
        }
    }

    /// <summary>A subscription; one filed under several keys may be found more than once for one event.</summary>
    private sealed record Entry(T Item, SubscriptionFilter Filter, bool FiledMoreThanOnce)
    {
        public void AddIfMatches(CloudEvent cloudEvent, List<T> matches)
        {
            if ((!FiledMoreThanOnce || !matches.Contains(Item)) && Filter.Matches(cloudEvent))
            {
                matches.Add(Item);
            }
        }
    }

    /// <summary>The exact, prefix and suffix buckets of one attribute.</summary>
    private sealed class AttributeIndex(string attribute)
    {
        private readonly Dictionary<string, List<Entry>> _exact = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<Entry>> _prefix = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<Entry>> _suffix = new(StringComparer.Ordinal);
        private readonly SortedSet<int> _prefixLengths = [];
        private readonly SortedSet<int> _suffixLengths = [];
        private int[] _prefixes = [];
        private int[] _suffixes = [];

        public string Attribute => attribute;

        public void Add(AttributeMatchKind kind, string value, Entry entry)
        {
            var buckets = kind switch
            {
                AttributeMatchKind.Exact => _exact,
                AttributeMatchKind.Prefix => _prefix,
                _ => _suffix,
            };
            if (!buckets.TryGetValue(value, out var list))
            {
                buckets[value] = list = [];
            }

            list.Add(entry);
            (kind == AttributeMatchKind.Prefix ? _prefixLengths : kind == AttributeMatchKind.Suffix ? _suffixLengths : null)?.Add(value.Length);
        }

        /// <summary>Freezes the distinct lengths into arrays, so matching enumerates without allocating.</summary>
        public void Seal()
        {
            _prefixes = [.. _prefixLengths];
            _suffixes = [.. _suffixLengths];
        }

        public void Match(string value, CloudEvent cloudEvent, List<T> matches)
        {
            var exact = _exact.GetAlternateLookup<ReadOnlySpan<char>>();
            Check(exact, value, cloudEvent, matches);
            var prefix = _prefix.GetAlternateLookup<ReadOnlySpan<char>>();
            foreach (var length in _prefixes)
            {
                if (length > value.Length)
                {
                    break;
                }

                Check(prefix, value.AsSpan(0, length), cloudEvent, matches);
            }

            var suffix = _suffix.GetAlternateLookup<ReadOnlySpan<char>>();
            foreach (var length in _suffixes)
            {
                if (length > value.Length)
                {
                    break;
                }

                Check(suffix, value.AsSpan(value.Length - length), cloudEvent, matches);
            }
        }

        private static void Check(
            Dictionary<string, List<Entry>>.AlternateLookup<ReadOnlySpan<char>> buckets, ReadOnlySpan<char> key,
            CloudEvent cloudEvent, List<T> matches)
        {
            if (buckets.TryGetValue(key, out var entries))
            {
                foreach (var entry in entries)
                {
                    entry.AddIfMatches(cloudEvent, matches);
                }
            }
        }
    }
}
