using System.Text.Json;
using Gateway.Filters.Cesql;
using Gateway.Protocols.CloudEvents;

namespace Gateway.Filters.Tests;

/// <summary>The match index finds exactly what trying every subscription finds, and tries few of them.</summary>
public sealed class SubscriptionIndexTests
{
    private static readonly FilterCompiler Compiler = new([.. FilterCompiler.RequiredDialects, new CesqlDialect()]);

    private static SubscriptionFilter Filter(string? source, string[]? types, string filters)
    {
        using var document = JsonDocument.Parse(filters);
        return new SubscriptionFilter(source, types, Compiler.CompileFilters(document.RootElement, "filters", []));
    }

    /// <summary>
    /// A realistic mix: mostly exact types (some several), some prefix/suffix on type/source/subject, nested ones, an
    /// <c>any</c> whose branches can both match one event (filed twice, found once), one with a branch that cannot be
    /// filed, and CESQL.
    /// </summary>
    internal static List<(int Id, SubscriptionFilter Filter)> Mix(int count, int seed)
    {
        var random = new Random(seed);
        var result = new List<(int, SubscriptionFilter)>();
        for (var i = 0; i < count; i++)
        {
            var n = random.Next(50);
            result.Add((i, (i % 20) switch
            {
                < 12 => Filter(null, [$"com.example.t{n}"], "[]"),
                12 => Filter(null, [$"com.example.t{n}", $"com.example.t{n + 1}"], "[]"),
                13 => Filter(null, null, $$$"""[{"any":[{"exact":{"type":"com.example.t{{{n}}}"}},{"not":{"exact":{"subject":"docs/{{{n}}}.md"} } }]}]"""),
                14 => Filter(null, null, $$$"""[{"prefix":{"type":"com.example.t{{{n}}}"}}]"""),
                15 => Filter(null, null, $$$"""[{"suffix":{"subject":"/{{{n}}}.md"}}]"""),
                16 => Filter($"/sources/{n}", null, "[]"),
                17 => Filter(null, null, $$$"""[{"all":[{"exact":{"type":"com.example.t{{{n}}}"}},{"not":{"exact":{"subject":"skip"} } }]}]"""),
                18 => Filter(null, null, $$$"""[{"any":[{"exact":{"type":"com.example.t{{{n}}}"}},{"prefix":{"source":"/sources/{{{n}}}"}}]}]"""),
                _ => Filter(null, null, $$"""[{"sql":"type = 'com.example.t{{n}}' OR subject LIKE '%{{n}}'"}]"""),
            }));
        }

        return result;
    }

    internal static CloudEvent Event(Random random) => new CloudEventBuilder()
        .Set("specversion", "1.0").Set("id", "e").Set("source", $"/sources/{random.Next(60)}")
        .Set("type", $"com.example.t{random.Next(60)}").Set("subject", $"docs/{random.Next(60)}.md").Build();

    [Fact]
    public void Index_FindsExactlyWhatALinearScanFinds()
    {
        var subscriptions = Mix(2000, 7);
        var index = new SubscriptionIndex<int>(subscriptions.Select(s => (s.Id, s.Filter)));
        var random = new Random(11);

        for (var i = 0; i < 500; i++)
        {
            var cloudEvent = Event(random);
            var found = new List<int>();
            index.Match(cloudEvent, found);

            Assert.Equal(subscriptions.Where(s => s.Filter.Matches(cloudEvent)).Select(s => s.Id).Order(), found.Order());
        }
    }

    [Fact]
    public void Index_LeavesOnlyUnfileableSubscriptionsToTheLinearResidue()
    {
        var index = new SubscriptionIndex<int>(Mix(2000, 7).Select(s => (s.Id, s.Filter)));

        // Only the "any" with an unfileable branch and the CESQL shapes (2 in 20) have no constraints to file them by.
        Assert.Equal(200, index.ResidueCount);
    }
}
