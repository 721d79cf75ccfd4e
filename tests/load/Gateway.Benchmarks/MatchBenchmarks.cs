using BenchmarkDotNet.Attributes;
using Gateway.Filters;
using Gateway.Protocols.CloudEvents;

namespace Gateway.Benchmarks;

/// <summary>
/// Matching one event against 1k, 10k and 100k subscriptions of a realistic mix (mostly exact <c>type</c>, some
/// prefix/suffix on type/source/subject, some nested all/any/not): the index against trying every subscription.
/// </summary>
[MemoryDiagnoser]
public class MatchBenchmarks
{
    private readonly List<int> _matches = new(64);
    private (int Id, SubscriptionFilter Filter)[] _subscriptions = [];
    private SubscriptionIndex<int> _index = null!;
    private CloudEvent _event = null!;

    [Params(1_000, 10_000, 100_000)]
    public int Subscriptions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _subscriptions = [.. Enumerable.Range(0, Subscriptions).Select(i => (i, Mix(i, random.Next(Subscriptions / 10 + 1))))];
        _index = new SubscriptionIndex<int>(_subscriptions);
        _event = new CloudEventBuilder().Set("specversion", "1.0").Set("id", "1").Set("source", "/sources/7")
            .Set("type", "com.example.t7").Set("subject", "docs/7.md").Build();
    }

    [Benchmark(Baseline = true)]
    public int LinearScan()
    {
        _matches.Clear();
        foreach (var (id, filter) in _subscriptions)
        {
            if (filter.Matches(_event))
            {
                _matches.Add(id);
            }
        }

        return _matches.Count;
    }

    [Benchmark]
    public int Index()
    {
        _matches.Clear();
        _index.Match(_event, _matches);
        return _matches.Count;
    }

    /// <summary>
    /// The mix: 80% exact types, 8% type prefixes, 4% subject suffixes, 4% an exact source inside all/not,
    /// 4% an any of two branches (filed under both). Every one is filed; CESQL would be tried one by one.
    /// </summary>
    private static SubscriptionFilter Mix(int i, int n) => (i % 50) switch
    {
        < 40 => new SubscriptionFilter(null, [$"com.example.t{n}"], null),
        < 44 => Filter($$$"""[{"prefix":{"type":"com.example.t{{{n}}}."}}]"""),
        < 46 => Filter($$$"""[{"suffix":{"subject":"/{{{n}}}.md"}}]"""),
        < 48 => Filter($$$"""[{"all":[{"exact":{"source":"/sources/{{{n}}}"}},{"not":{"exact":{"subject":"skip"} } }]}]"""),
        _ => Filter($$$"""[{"any":[{"exact":{"type":"com.example.t{{{n}}}"}},{"prefix":{"subject":"x{{{n}}}"}}]}]"""),
    };

    private static SubscriptionFilter Filter(string json) => new(null, null, CompiledFilters.Compile(json));
}
