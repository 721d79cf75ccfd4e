using System.Text.Json;
using Gateway.Filters.Cesql;
using Gateway.Protocols.CloudEvents;

namespace Gateway.Filters.Tests.Cesql;

/// <summary>The <c>sql</c> dialect as a subscription filter (FLT-15 to FLT-17) and the engine's own decisions.</summary>
public sealed class CesqlFilterTests
{
    private static readonly FilterCompiler Compiler = new([.. FilterCompiler.RequiredDialects, new CesqlDialect()]);

    private static CloudEvent Event(params (string Name, string Value)[] extensions)
    {
        var builder = new CloudEventBuilder()
            .Set("specversion", "1.0").Set("id", "myId").Set("source", "https://example.com/a")
            .Set("type", "com.github.push").Set("subject", "Readme.md");
        foreach (var (name, value) in extensions)
        {
            builder.Set(name, value);
        }

        return builder.Build();
    }

    private static (IEventFilter? Filter, List<FilterError> Errors) Compile(string filtersJson)
    {
        var errors = new List<FilterError>();
        using var document = JsonDocument.Parse(filtersJson);
        return (Compiler.CompileFilters(document.RootElement, "filters", errors), errors);
    }

    [Theory]
    [InlineData("type = 'com.github.push'", true)]
    [InlineData("myext = 'x'", false)]
    [InlineData("NOT (myext = 'x')", false)]
    [InlineData("'true'", false)]
    [InlineData("1", false)]
    [InlineData("1 / 0 = 0", false)]
    [InlineData("type = 'com.github.push' AND (priority > 3 OR EXISTS urgent)", true)]
    public void FLT_16_PassesOnlyOnBooleanTrueWithoutError(string expression, bool expected)
    {
        var (filter, errors) = Compile(JsonSerializer.Serialize(new[] { new Dictionary<string, string> { ["sql"] = expression } }));

        Assert.Empty(errors);
        Assert.Equal(expected, filter!.Matches(Event(("priority", "5"))));
    }

    [Theory]
    [InlineData("cesql")]
    [InlineData("sql")]
    public void BothDialectNames_AreTheSameDialect(string name)
    {
        var (filter, errors) = Compile($$"""[{"{{name}}":"subject LIKE '%.md'"}]""");

        Assert.Empty(errors);
        Assert.True(filter!.Matches(Event()));
    }

    [Theory]
    [InlineData("type LIKE", "filters[0].sql", "parse error")]
    [InlineData("CONCAT_WS()", "filters[0].sql", "unknown function")]
    [InlineData("", "filters[0].sql", "non-empty string")]
    public void FLT_17_InvalidExpressions_AreRejected(string expression, string path, string message)
    {
        var (_, errors) = Compile(JsonSerializer.Serialize(new[] { new Dictionary<string, string> { ["sql"] = expression } }));

        var error = Assert.Single(errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CompileError_NamesThePosition()
    {
        var ex = Assert.Throws<CesqlCompileException>(() => CesqlExpression.Compile("subject = 'a' AND AND"));

        Assert.Equal(CesqlErrorKind.Parse, ex.Kind);
        Assert.Equal(18, ex.Position);
    }

    [Fact]
    public void G16_AndOrShareOneLevel_EvaluatedLeftToRight()
    {
        // The spec text: a OR b AND c means (a OR b) AND c, not SQL's a OR (b AND c). Users are told to parenthesise.
        var value = CesqlExpression.Compile("TRUE OR TRUE AND FALSE").Evaluate(Event(), out var errors);

        Assert.Empty(errors);
        Assert.False(value.Boolean);
    }

    [Fact]
    public void IntegerLiteralOutOfRange_IsAParseError()
    {
        Assert.Equal(CesqlErrorKind.Parse, Assert.Throws<CesqlCompileException>(() => CesqlExpression.Compile("2147483648")).Kind);
        Assert.Equal(int.MinValue, CesqlExpression.Compile("-2147483648").Evaluate(Event(), out _).Integer);
    }

    [Fact]
    public void IntegerOverflow_IsAMathError()
    {
        CesqlExpression.Compile("2147483647 + 1").Evaluate(Event(), out var errors);

        Assert.Equal(CesqlErrorKind.Math, Assert.Single(errors).Kind);
    }
}
