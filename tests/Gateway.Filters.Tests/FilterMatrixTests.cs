using System.Text.Json;
using Gateway.Protocols.CloudEvents;

namespace Gateway.Filters.Tests;

/// <summary>The filter dialects' semantics: the §7.5 matrix and the FLT rules around it.</summary>
public sealed class FilterMatrixTests
{
    private static readonly FilterCompiler Compiler = new(FilterCompiler.RequiredDialects);

    /// <summary>The §7.5 event, plus typed extensions for FLT-09.</summary>
    private static readonly CloudEvent Event = new CloudEventBuilder()
        .Set("specversion", "1.0").Set("id", "myId").Set("source", "https://example.com/a")
        .Set("type", "com.github.push").Set("subject", "Readme.md").Set("time", "2018-04-05T17:31:00+02:00")
        .Set("count", CloudEventValue.FromInteger(5)).Set("flag", CloudEventValue.FromBoolean(true))
        .Build();

    internal static IEventFilter Compile(string filtersJson, out List<FilterError> errors)
    {
        errors = [];
        using var document = JsonDocument.Parse(filtersJson);
        return Compiler.CompileFilters(document.RootElement, "filters", errors)!;
    }

    [Theory]
    [InlineData("""{"exact":{"type":"com.github.push"}}""", true)]
    [InlineData("""{"exact":{"type":"COM.GITHUB.PUSH"}}""", false)]
    [InlineData("""{"exact":{"type":"com.github.push","subject":"Readme.md"}}""", true)]
    [InlineData("""{"exact":{"type":"com.github.push","subject":"x"}}""", false)]
    [InlineData("""{"exact":{"myext":"x"}}""", false)]
    [InlineData("""{"not":{"exact":{"myext":"x"}}}""", true)]
    [InlineData("""{"prefix":{"source":"https://"}}""", true)]
    [InlineData("""{"prefix":{"myext":"x"}}""", false)]
    [InlineData("""{"suffix":{"subject":".md"}}""", true)]
    [InlineData("""{"suffix":{"subject":".MD"}}""", false)]
    [InlineData("""{"suffix":{"myext":"x"}}""", false)]
    [InlineData("""{"all":[{"exact":{"type":"com.github.push"}},{"prefix":{"subject":"Read"}}]}""", true)]
    [InlineData("""{"all":[{"exact":{"type":"com.github.push"}},{"prefix":{"subject":"x"}}]}""", false)]
    [InlineData("""{"any":[{"exact":{"type":"x"}},{"suffix":{"source":"/a"}}]}""", true)]
    [InlineData("""{"any":[{"exact":{"type":"x"}},{"suffix":{"source":"/b"}}]}""", false)]
    [InlineData("""{"not":{"any":[{"exact":{"type":"x"}},{"exact":{"type":"y"}}]}}""", true)]
    [InlineData("""{"all":[{"any":[{"not":{"exact":{"id":"other"}}}]},{"exact":{"specversion":"1.0"}}]}""", true)]
    [InlineData("""{"exact":{"count":"5"}}""", true)]
    [InlineData("""{"exact":{"flag":"true"}}""", true)]
    [InlineData("""{"exact":{"time":"2018-04-05T17:31:00+02:00"}}""", true)]
    [InlineData("""{"exact":{"time":"2018-04-05T15:31:00Z"}}""", false)]
    public void FLT_05_to_FLT_14_Matrix(string filter, bool expected)
    {
        var compiled = Compile($"[{filter}]", out var errors);

        Assert.Empty(errors);
        Assert.Equal(expected, compiled.Matches(Event));
    }

    [Theory]
    [InlineData("[]", true)]
    [InlineData("""[{"exact":{"type":"com.github.push"}},{"suffix":{"subject":".md"}}]""", true)]
    [InlineData("""[{"exact":{"type":"com.github.push"}},{"suffix":{"subject":".txt"}}]""", false)]
    public void FLT_01_FiltersArray_IsAnAnd_AndEmptyPasses(string filters, bool expected)
    {
        Assert.Equal(expected, Compile(filters, out _).Matches(Event));
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData("https://example.com/a", null, true)]
    [InlineData("https://example.com/A", null, false)]
    [InlineData(null, new[] { "x", "com.github.push" }, true)]
    [InlineData(null, new[] { "com.github.PUSH" }, false)]
    [InlineData("https://example.com/a", new[] { "com.github.push" }, true)]
    public void SUB_26_SUB_27_SourceIsExact_TypesIsAnyOf(string? source, string[]? types, bool expected)
    {
        Assert.Equal(expected, new SubscriptionFilter(source, types, null).Matches(Event));
    }
}
