using System.Text.Json;
using Gateway.Filters.Cesql;
using Gateway.Protocols.CloudEvents;

namespace Gateway.Filters.Tests;

/// <summary>
/// Compiled filters evaluate without allocating in the common cases (the CESQL issue's bar, design.md "Fast"). This
/// counts bytes, not time: it is deterministic on any machine.
/// </summary>
public sealed class AllocationTests
{
    private static readonly CloudEvent Event = new CloudEventBuilder()
        .Set("specversion", "1.0").Set("id", "1").Set("source", "https://example.com/orders")
        .Set("type", "com.example.order.created").Set("subject", "orders/42")
        .Set("priority", CloudEventValue.FromInteger(5)).Build();

    [Theory]
    [InlineData("""[{"exact":{"type":"com.example.order.created"}}]""")]
    [InlineData("""[{"prefix":{"source":"https://example.com"}},{"suffix":{"subject":"/42"}}]""")]
    [InlineData("""[{"any":[{"exact":{"type":"x"}},{"not":{"exact":{"subject":"y"}}}]}]""")]
    [InlineData("""[{"sql":"type = 'com.example.order.created' AND priority > 3"}]""")]
    [InlineData("""[{"sql":"subject LIKE 'orders/%' OR EXISTS urgent"}]""")]
    [InlineData("""[{"sql":"source IN ('a', 'https://example.com/orders') AND NOT (priority < 0)"}]""")]
    public void Evaluation_AllocatesNothing(string filters)
    {
        var errors = new List<FilterError>();
        using var document = JsonDocument.Parse(filters);
        var filter = new FilterCompiler([.. FilterCompiler.RequiredDialects, new CesqlDialect()]).CompileFilters(document.RootElement, "filters", errors)!;
        Assert.True(filter.Matches(Event));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            filter.Matches(Event);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
