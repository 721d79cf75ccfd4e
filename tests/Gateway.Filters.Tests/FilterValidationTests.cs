namespace Gateway.Filters.Tests;

/// <summary>Filters rejected at create/update, every error at once, each with its JSON path.</summary>
public sealed class FilterValidationTests
{
    [Theory]
    [InlineData("""[{"all":[]}]""", "filters[0].all")]
    [InlineData("""[{"any":[]}]""", "filters[0].any")]
    [InlineData("""[{"all":{}}]""", "filters[0].all")]
    [InlineData("""[{"not":[{"exact":{"a":"b"}}]}]""", "filters[0].not")]
    [InlineData("""[{"exact":{"type":""}}]""", "filters[0].exact.type")]
    [InlineData("""[{"exact":{"":"x"}}]""", "filters[0].exact.")]
    [InlineData("""[{"exact":{"Type":"x"}}]""", "filters[0].exact.Type")]
    [InlineData("""[{"exact":{"data":"x"}}]""", "filters[0].exact.data")]
    [InlineData("""[{"prefix":{"type":5}}]""", "filters[0].prefix.type")]
    [InlineData("""[{"suffix":{}}]""", "filters[0].suffix")]
    [InlineData("""[{"foo":{"type":"x"}}]""", "filters[0].foo")]
    [InlineData("""[{"sql":"type = 'x'"}]""", "filters[0].sql")]
    [InlineData("""[{}]""", "filters[0]")]
    [InlineData("""[{"exact":{"a":"b"},"prefix":{"a":"b"}}]""", "filters[0]")]
    [InlineData("""[[]]""", "filters[0]")]
    [InlineData("""[{"all":[{"not":{"exact":{"x":""}}}]}]""", "filters[0].all[0].not.exact.x")]
    public void InvalidFilter_IsRejected_NamingThePath(string filters, string path)
    {
        var compiled = FilterMatrixTests.Compile(filters, out var errors);

        Assert.Null(compiled);
        Assert.Equal(path, Assert.Single(errors).Path);
    }

    [Fact]
    public void SqlIsNotAmongTheRequiredDialects_ItIsRegisteredSeparately()
    {
        FilterMatrixTests.Compile("""[{"sql":"TRUE"}]""", out var errors);

        Assert.Contains("unsupported filter dialect 'sql'", Assert.Single(errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryErrorIsReportedAtOnce()
    {
        FilterMatrixTests.Compile("""[{"foo":{}},{"all":[]},{"exact":{"type":""}},{"exact":{"type":"ok"}}]""", out var errors);

        Assert.Equal(["filters[0].foo", "filters[1].all", "filters[2].exact.type"], errors.Select(e => e.Path));
    }
}
