using System.Text.Json;
using Gateway.Protocols.CloudEvents;

namespace Gateway.Filters.Tests;

/// <summary>The filter dialects' semantics: the §7.5 matrix (without its <c>sql</c> rows) and the FLT rules around it.</summary>
public sealed class FilterMatrixTests
{
    private static readonly FilterCompiler Compiler = new(FilterCompiler.RequiredDialects);

    /// <summary>§7.5's event <c>E</c>, exactly.</summary>
    private static readonly CloudEvent E = new CloudEventBuilder()
        .Set("specversion", "1.0").Set("id", "myId").Set("source", "https://example.com/a")
        .Set("type", "com.github.push").Set("subject", "Readme.md").Build();

    /// <summary><c>E</c> plus a time with an offset and typed extensions, for FLT-09.</summary>
    private static readonly CloudEvent Typed = new CloudEventBuilder()
        .Set("specversion", "1.0").Set("id", "myId").Set("source", "https://example.com/a")
        .Set("type", "com.github.push").Set("time", "2018-04-05T17:31:00+02:00")
        .Set("count", CloudEventValue.FromInteger(5)).Set("delta", CloudEventValue.FromInteger(-12))
        .Set("flag", CloudEventValue.FromBoolean(true)).Set("off", CloudEventValue.FromBoolean(false))
        .Build();

    /// <summary>Compiles a <c>filters</c> array; null when it was rejected, with the errors.</summary>
    internal static IEventFilter? Compile(string filtersJson, out List<FilterError> errors)
    {
        errors = [];
        using var document = JsonDocument.Parse(filtersJson);
        return Compiler.CompileFilters(document.RootElement, "filters", errors);
    }

    [Theory]
    [InlineData("""{"exact":{"type":"com.github.push"}}""", true)]
    [InlineData("""{"exact":{"type":"COM.GITHUB.PUSH"}}""", false)] // FLT-07
    [InlineData("""{"exact":{"type":"com.github.push","subject":"Readme.md"}}""", true)] // FLT-06
    [InlineData("""{"exact":{"type":"com.github.push","subject":"x"}}""", false)] // FLT-06
    [InlineData("""{"exact":{"myext":"x"}}""", false)] // FLT-08
    [InlineData("""{"not":{"exact":{"myext":"x"}}}""", true)] // FLT-14, G11
    [InlineData("""{"prefix":{"source":"https://"}}""", true)]
    [InlineData("""{"suffix":{"subject":".md"}}""", true)]
    [InlineData("""{"suffix":{"subject":".MD"}}""", false)] // FLT-07
    public void Section7_5_Matrix(string filter, bool expected) => AssertMatches(E, filter, expected);

    [Theory]
    [InlineData("""{"exact":{"specversion":"1.0","id":"myId","source":"https://example.com/a"}}""", true)]
    [InlineData("""{"exact":{"specversion":"1.0","id":"myId","source":"https://example.com/b"}}""", false)]
    [InlineData("""{"prefix":{"type":"com.github.","subject":"Read"}}""", true)]
    [InlineData("""{"prefix":{"type":"com.github.","subject":"read"}}""", false)]
    [InlineData("""{"suffix":{"type":".push","source":"/a"}}""", true)]
    [InlineData("""{"suffix":{"type":".push","myext":"a"}}""", false)]
    public void FLT_06_SeveralKeys_AllMustMatch(string filter, bool expected) => AssertMatches(E, filter, expected);

    [Theory]
    [InlineData("""{"exact":{"type":"com.github.push "}}""", false)]
    [InlineData("""{"exact":{"type":"com.github"}}""", false)]
    [InlineData("""{"prefix":{"subject":"readme"}}""", false)]
    [InlineData("""{"prefix":{"subject":"Readme.md"}}""", true)]
    [InlineData("""{"suffix":{"source":"HTTPS://EXAMPLE.COM/A"}}""", false)]
    [InlineData("""{"suffix":{"source":"https://example.com/a"}}""", true)]
    public void FLT_07_ComparisonsAreOrdinal(string filter, bool expected) => AssertMatches(E, filter, expected);

    [Theory]
    [InlineData("exact")]
    [InlineData("prefix")]
    [InlineData("suffix")]
    public void FLT_08_MissingAttribute_IsFalse_AndNotAroundItIsTrue(string dialect)
    {
        var missing = "{\"" + dialect + "\":{\"myext\":\"x\"}}";

        AssertMatches(E, missing, false);
        AssertMatches(E, "{\"" + dialect + "\":{\"time\":\"2\"}}", false);
        AssertMatches(E, "{\"not\":" + missing + "}", true);
    }

    [Theory]
    [InlineData("""{"exact":{"count":"5"}}""", true)]
    [InlineData("""{"exact":{"count":"05"}}""", false)]
    [InlineData("""{"prefix":{"delta":"-1"}}""", true)]
    [InlineData("""{"exact":{"flag":"true"}}""", true)]
    [InlineData("""{"exact":{"flag":"True"}}""", false)]
    [InlineData("""{"exact":{"off":"false"}}""", true)]
    [InlineData("""{"exact":{"time":"2018-04-05T17:31:00+02:00"}}""", true)]
    [InlineData("""{"exact":{"time":"2018-04-05T15:31:00Z"}}""", false)] // the same instant, but not the string received
    [InlineData("""{"suffix":{"time":"+02:00"}}""", true)]
    public void FLT_09_NonStringValues_CompareByTheirCanonicalString(string filter, bool expected) =>
        AssertMatches(Typed, filter, expected);

    [Theory]
    [InlineData("""{"all":[{"exact":{"type":"com.github.push"}},{"prefix":{"subject":"Read"}}]}""", true)]
    [InlineData("""{"all":[{"exact":{"type":"com.github.push"}},{"prefix":{"subject":"x"}}]}""", false)]
    [InlineData("""{"any":[{"exact":{"type":"x"}},{"suffix":{"source":"/a"}}]}""", true)]
    [InlineData("""{"any":[{"exact":{"type":"x"}},{"suffix":{"source":"/b"}}]}""", false)]
    [InlineData("""{"not":{"exact":{"type":"com.github.push"}}}""", false)]
    [InlineData("""{"not":{"not":{"exact":{"type":"com.github.push"}}}}""", true)]
    [InlineData("""{"not":{"any":[{"exact":{"type":"x"}},{"exact":{"type":"y"}}]}}""", true)]
    [InlineData("""{"not":{"all":[{"exact":{"type":"com.github.push"}},{"exact":{"myext":"y"}}]}}""", true)]
    [InlineData("""{"all":[{"any":[{"not":{"exact":{"id":"other"}}}]},{"exact":{"specversion":"1.0"}}]}""", true)]
    [InlineData("""{"any":[{"all":[{"exact":{"id":"myId"}},{"exact":{"myext":"x"}}]},{"not":{"prefix":{"subject":"Read"}}}]}""", false)]
    public void FLT_12_to_FLT_14_AllAnyNot_Nest(string filter, bool expected) => AssertMatches(E, filter, expected);

    [Theory]
    [InlineData("[]", true)]
    [InlineData("""[{"exact":{"type":"com.github.push"}},{"suffix":{"subject":".md"}}]""", true)]
    [InlineData("""[{"exact":{"type":"com.github.push"}},{"suffix":{"subject":".txt"}}]""", false)]
    [InlineData("""[{"exact":{"type":"x"}},{"suffix":{"subject":".md"}}]""", false)]
    public void FLT_01_FiltersArray_IsAnAnd_AndEmptyPasses(string filters, bool expected)
    {
        var compiled = Compile(filters, out var errors);

        Assert.Empty(errors);
        Assert.Equal(expected, compiled!.Matches(E));
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData("https://example.com/a", null, true)]
    [InlineData("https://example.com/A", null, false)]
    [InlineData("https://example.com", null, false)]
    [InlineData(null, new string[0], true)]
    [InlineData(null, new[] { "x", "com.github.push" }, true)]
    [InlineData(null, new[] { "com.github.PUSH" }, false)]
    [InlineData(null, new[] { "com.github" }, false)]
    [InlineData("https://example.com/a", new[] { "com.github.push" }, true)]
    [InlineData("https://example.com/b", new[] { "com.github.push" }, false)]
    public void SUB_26_SUB_27_SourceIsExact_TypesIsAnyOf(string? source, string[]? types, bool expected)
    {
        Assert.Equal(expected, new SubscriptionFilter(source, types, null).Matches(E));
    }

    [Theory]
    [InlineData("""[{"exact":{"subject":"Readme.md"}}]""", true)]
    [InlineData("""[{"exact":{"subject":"other"}}]""", false)]
    public void SUB_28_FiltersApplyOnTopOfSourceAndTypes(string filters, bool expected)
    {
        var filter = new SubscriptionFilter("https://example.com/a", ["com.github.push"], Compile(filters, out _));

        Assert.Equal(expected, filter.Matches(E));
    }

    private static void AssertMatches(CloudEvent cloudEvent, string filter, bool expected)
    {
        var compiled = Compile($"[{filter}]", out var errors);

        Assert.Empty(errors);
        Assert.Equal(expected, compiled!.Matches(cloudEvent));
    }
}
