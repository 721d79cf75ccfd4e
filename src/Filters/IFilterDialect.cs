using System.Text.Json;

namespace Gateway.Filters;

/// <summary>
/// One filter dialect (§7): validates its JSON value and compiles it. The set of dialects is open: CESQL (<c>sql</c>)
/// registers itself like the six required ones (FLT-02).
/// </summary>
public interface IFilterDialect
{
    /// <summary>The names this dialect answers to in a filter expression, compared case-sensitively.</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>
    /// Compiles <paramref name="value"/> (the member's value) or adds every error to <paramref name="errors"/> and
    /// returns null. Nested expressions are compiled through <paramref name="compiler"/>.
    /// </summary>
    IEventFilter? Compile(JsonElement value, string path, FilterCompiler compiler, List<FilterError> errors);
}
