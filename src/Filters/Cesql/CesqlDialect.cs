using System.Text.Json;
using Gateway.Protocols.CloudEvents;

namespace Gateway.Filters.Cesql;

/// <summary>
/// The <c>sql</c> dialect (FLT-15), also under Knative's name <c>cesql</c>. Expressions that do not compile are
/// rejected at create/update with the position of the error (FLT-17).
/// </summary>
public sealed class CesqlDialect : IFilterDialect
{
    /// <inheritdoc/>
    public IReadOnlyList<string> Names { get; } = ["sql", "cesql"];

    /// <inheritdoc/>
    public IEventFilter? Compile(JsonElement value, string path, FilterCompiler compiler, List<FilterError> errors)
    {
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } expression)
        {
            errors.Add(new(path, "must be a non-empty string holding a CESQL expression (FLT-15)"));
            return null;
        }

        try
        {
            return new CesqlFilter(CesqlExpression.Compile(expression));
        }
        catch (CesqlCompileException ex)
        {
            errors.Add(new(path, $"{(ex.Kind == CesqlErrorKind.Parse ? "parse error" : "unknown function")}: {ex.Message}"));
            return null;
        }
    }

    private sealed class CesqlFilter(CesqlExpression expression) : IEventFilter
    {
        public bool Matches(CloudEvent cloudEvent) => expression.Passes(cloudEvent);
    }
}
