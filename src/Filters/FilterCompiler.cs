using System.Collections.Frozen;
using System.Text.Json;
using Gateway.Filters.Dialects;

namespace Gateway.Filters;

/// <summary>
/// Turns the <c>filters</c> of a subscription into one evaluator, reporting every error at once (FLT-03, FLT-04).
/// </summary>
public sealed class FilterCompiler
{
    private readonly FrozenDictionary<string, IFilterDialect> _dialects;

    /// <summary>A compiler that knows <paramref name="dialects"/>.</summary>
    public FilterCompiler(IEnumerable<IFilterDialect> dialects)
    {
        _dialects = dialects.SelectMany(d => d.Names, (d, name) => KeyValuePair.Create(name, d))
            .ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The dialects every implementation supports (FLT-02): exact, prefix, suffix, all, any, not.</summary>
    public static IReadOnlyList<IFilterDialect> RequiredDialects { get; } =
    [
        AttributeDialect.Exact, AttributeDialect.Prefix, AttributeDialect.Suffix,
        new AllDialect(), new AnyDialect(), new NotDialect(),
    ];

    /// <summary>Every dialect name this compiler accepts.</summary>
    public IEnumerable<string> DialectNames => _dialects.Keys;

    /// <summary>
    /// Compiles a <c>filters</c> array (FLT-01: all must pass; empty passes). Returns null when any error was found.
    /// </summary>
    public IEventFilter? CompileFilters(JsonElement filters, string path, List<FilterError> errors)
    {
        if (filters.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new(path, "must be an array of filter expressions"));
            return null;
        }

        var compiled = CompileList(filters, path, errors);
        return compiled is null ? null : AllFilter.Of(compiled);
    }

    /// <summary>Compiles one filter expression: an object with exactly one dialect member (FLT-04).</summary>
    public IEventFilter? CompileExpression(JsonElement expression, string path, List<FilterError> errors)
    {
        if (expression.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, "a filter expression is an object with one dialect member, such as {\"exact\":{…}}"));
            return null;
        }

        using var members = expression.EnumerateObject();
        if (!members.MoveNext())
        {
            errors.Add(new(path, "a filter expression needs one dialect member; this one is empty (FLT-04)"));
            return null;
        }

        var member = members.Current;
        if (members.MoveNext())
        {
            errors.Add(new(path, "a filter expression has exactly one dialect member (FLT-04)"));
            return null;
        }

        if (!_dialects.TryGetValue(member.Name, out var dialect))
        {
            errors.Add(new(
                $"{path}.{member.Name}",
                $"unsupported filter dialect '{member.Name}'; supported: {string.Join(", ", _dialects.Keys.Order(StringComparer.Ordinal))} (FLT-03)"));
            return null;
        }

        return dialect.Compile(member.Value, $"{path}.{member.Name}", this, errors);
    }

    /// <summary>Compiles each element of an array of expressions; null when any failed.</summary>
    internal IEventFilter[]? CompileList(JsonElement array, string path, List<FilterError> errors)
    {
        var before = errors.Count;
        var compiled = new List<IEventFilter>(array.GetArrayLength());
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            if (CompileExpression(element, $"{path}[{index++}]", errors) is { } filter)
            {
                compiled.Add(filter);
            }
        }

        return errors.Count == before ? [.. compiled] : null;
    }
}
