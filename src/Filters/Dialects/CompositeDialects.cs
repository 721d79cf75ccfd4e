using System.Text.Json;

namespace Gateway.Filters.Dialects;

/// <summary><c>all</c>: a non-empty array of expressions that must all pass (FLT-12).</summary>
internal sealed class AllDialect : IFilterDialect
{
    public IReadOnlyList<string> Names { get; } = ["all"];

    public IEventFilter? Compile(JsonElement value, string path, FilterCompiler compiler, List<FilterError> errors) =>
        CompileNonEmptyArray(value, path, compiler, errors, "FLT-12") is { } list ? AllFilter.Of(list) : null;

    internal static IEventFilter[]? CompileNonEmptyArray(
        JsonElement value, string path, FilterCompiler compiler, List<FilterError> errors, string rule)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            errors.Add(new(path, $"must be an array of at least one filter expression ({rule})"));
            return null;
        }

        return compiler.CompileList(value, path, errors);
    }
}

/// <summary><c>any</c>: a non-empty array of expressions of which at least one must pass (FLT-13).</summary>
internal sealed class AnyDialect : IFilterDialect
{
    public IReadOnlyList<string> Names { get; } = ["any"];

    public IEventFilter? Compile(JsonElement value, string path, FilterCompiler compiler, List<FilterError> errors) =>
        AllDialect.CompileNonEmptyArray(value, path, compiler, errors, "FLT-13") is { } list ? new AnyFilter(list) : null;
}

/// <summary><c>not</c>: one nested expression, inverted (FLT-14).</summary>
internal sealed class NotDialect : IFilterDialect
{
    public IReadOnlyList<string> Names { get; } = ["not"];

    public IEventFilter? Compile(JsonElement value, string path, FilterCompiler compiler, List<FilterError> errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, "must be one filter expression (an object, not an array) (FLT-14)"));
            return null;
        }

        return compiler.CompileExpression(value, path, errors) is { } inner ? new NotFilter(inner) : null;
    }
}
