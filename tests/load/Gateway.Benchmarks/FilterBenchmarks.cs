using BenchmarkDotNet.Attributes;
using Gateway.Filters;
using Gateway.Protocols.CloudEvents;

namespace Gateway.Benchmarks;

/// <summary>Filter compile and evaluate, per dialect; the exact filter is the baseline.</summary>
[MemoryDiagnoser]
public class FilterBenchmarks
{
    private static readonly CloudEvent Event = new CloudEventBuilder()
        .Set("specversion", "1.0").Set("id", "1").Set("source", "https://example.com/orders")
        .Set("type", "com.example.order.created").Set("subject", "orders/42").Set("priority", CloudEventValue.FromInteger(5)).Build();

    private readonly IEventFilter _exact = CompiledFilters.Compile("""[{"exact":{"type":"com.example.order.created"}}]""");
    private readonly IEventFilter _prefixSuffix = CompiledFilters.Compile("""[{"prefix":{"source":"https://example.com"}},{"suffix":{"subject":"/42"}}]""");
    private readonly IEventFilter _nested = CompiledFilters.Compile("""[{"all":[{"any":[{"exact":{"type":"x"}},{"prefix":{"type":"com.example."}}]},{"not":{"exact":{"subject":"skip"}}}]}]""");
    private readonly IEventFilter _sql = CompiledFilters.Compile("""[{"sql":"type LIKE 'com.example.%' AND priority > 3"}]""");

    [Benchmark(Baseline = true)]
    public bool Exact() => _exact.Matches(Event);

    [Benchmark]
    public bool PrefixAndSuffix() => _prefixSuffix.Matches(Event);

    [Benchmark]
    public bool Nested() => _nested.Matches(Event);

    [Benchmark]
    public bool Cesql() => _sql.Matches(Event);

    [Benchmark]
    public IEventFilter CompileCesql() => CompiledFilters.Compile("""[{"sql":"type LIKE 'com.example.%' AND priority > 3"}]""");
}
