namespace Gateway.Filters.Tests;

/// <summary>Filters rejected at create/update, every error at once, each with its JSON path.</summary>
public sealed class FilterValidationTests
{
    [Theory]
    [InlineData("""[{}]""", "filters[0]")] // FLT-04: no dialect member
    [InlineData("""[{"exact":{"a":"b"},"prefix":{"a":"b"}}]""", "filters[0]")] // FLT-04: two dialect members
    [InlineData("""[{"exact":{"a":"b"},"exact":{"c":"d"}}]""", "filters[0]")] // FLT-04: the same one twice
    [InlineData("""[{"any":[{"exact":{"a":"b"}},{}]}]""", "filters[0].any[1]")] // FLT-04, nested
    [InlineData("""[[]]""", "filters[0]")]
    [InlineData("""[{"exact":"type"}]""", "filters[0].exact")]
    public void FLT_04_AnExpressionHasExactlyOneDialectMember(string filters, string path) => AssertRejected(filters, path);

    [Theory]
    [InlineData("""[{"exact":{"type":""}}]""", "filters[0].exact.type")] // FLT-05: empty value
    [InlineData("""[{"prefix":{"subject":""}}]""", "filters[0].prefix.subject")]
    [InlineData("""[{"exact":{"":"x"}}]""", "filters[0].exact.")] // FLT-05: empty name
    [InlineData("""[{"exact":{"Type":"x"}}]""", "filters[0].exact.Type")] // FLT-10: upper case
    [InlineData("""[{"suffix":{"my.ext":"x"}}]""", "filters[0].suffix.my.ext")] // FLT-10: punctuation
    [InlineData("""[{"exact":{"data":"x"}}]""", "filters[0].exact.data")] // FLT-10: CE-02c
    [InlineData("""[{"prefix":{"type":5}}]""", "filters[0].prefix.type")] // §7.1: values are strings
    [InlineData("""[{"exact":{"type":null}}]""", "filters[0].exact.type")]
    [InlineData("""[{"exact":{}}]""", "filters[0].exact")] // FLT-11: empty map
    [InlineData("""[{"suffix":{}}]""", "filters[0].suffix")]
    [InlineData("""[{"all":[{"not":{"exact":{"x":""}}}]}]""", "filters[0].all[0].not.exact.x")]
    public void FLT_05_FLT_10_FLT_11_AttributeMapsAreChecked(string filters, string path) => AssertRejected(filters, path);

    [Theory]
    [InlineData("""[{"all":[]}]""", "filters[0].all")] // FLT-12
    [InlineData("""[{"any":[]}]""", "filters[0].any")] // FLT-13
    [InlineData("""[{"all":{}}]""", "filters[0].all")]
    [InlineData("""[{"not":[{"exact":{"a":"b"}}]}]""", "filters[0].not")] // FLT-14: one expression, not an array
    [InlineData("""[{"not":{}}]""", "filters[0].not")]
    public void FLT_12_to_FLT_14_CompositesAreChecked(string filters, string path) => AssertRejected(filters, path);

    [Theory]
    [InlineData("""[{"foo":{"type":"x"}}]""", "filters[0].foo")]
    [InlineData("""[{"Exact":{"type":"x"}}]""", "filters[0].Exact")] // dialect names are case-sensitive
    [InlineData("""[{"exact":{"type":"x"}},{"any":[{"exact":{"a":"b"}},{"foo":{}}]}]""", "filters[1].any[1].foo")]
    public void FLT_03_UnknownDialect_IsRejectedWithItsPath(string filters, string path)
    {
        AssertRejected(filters, path);
        FilterMatrixTests.Compile(filters, out var errors);
        Assert.Contains("unsupported filter dialect", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FLT_03_Sql_WithTheRequiredDialectsOnly_IsRejectedAsUnsupported()
    {
        // Today's behaviour: sql is OPTIONAL (FLT-02) and not among RequiredDialects; the gateway registers its CESQL
        // dialect separately (tests in Cesql/). A compiler built from the required dialects alone must reject it.
        var compiled = FilterMatrixTests.Compile("""[{"sql":"type = 'com.github.push'"}]""", out var errors);

        Assert.Null(compiled);
        var error = Assert.Single(errors);
        Assert.Equal("filters[0].sql", error.Path);
        Assert.Contains("unsupported filter dialect 'sql'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"exact":{"type":"x"}}""")]
    [InlineData("null")]
    public void FLT_01_FiltersNotAnArray_IsRejected(string filters) => AssertRejected(filters, "filters");

    [Fact]
    public void TwoBadFilters_GiveTwoErrors()
    {
        var compiled = FilterMatrixTests.Compile("""[{"foo":{}},{"exact":{"type":"ok"}},{"all":[]}]""", out var errors);

        Assert.Null(compiled);
        Assert.Equal(["filters[0].foo", "filters[2].all"], errors.Select(e => e.Path));
    }

    [Fact]
    public void EveryErrorIsReportedAtOnce_AlsoInsideOneExpression()
    {
        var compiled = FilterMatrixTests.Compile(
            """[{"foo":{}},{"all":[]},{"exact":{"type":"","Bad":"x","ok":"y","n":1}},{"not":{"any":[{},{"bar":1}]}}]""",
            out var errors);

        Assert.Null(compiled);
        Assert.Equal(
            ["filters[0].foo", "filters[1].all", "filters[2].exact.type", "filters[2].exact.Bad", "filters[2].exact.n",
             "filters[3].not.any[0]", "filters[3].not.any[1].bar"],
            errors.Select(e => e.Path));
    }

    private static void AssertRejected(string filters, string path)
    {
        var compiled = FilterMatrixTests.Compile(filters, out var errors);

        Assert.Null(compiled);
        Assert.Equal(path, Assert.Single(errors).Path);
    }
}
