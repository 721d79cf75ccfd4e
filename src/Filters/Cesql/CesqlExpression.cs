using Gateway.Protocols.CloudEvents;

namespace Gateway.Filters.Cesql;

/// <summary>A compiled CloudEvents SQL 1.0 expression: parsed once, evaluated for many events.</summary>
public sealed class CesqlExpression
{
    private readonly CesqlNode _root;

    private CesqlExpression(CesqlNode root)
    {
        _root = root;
    }

    /// <summary>Compiles <paramref name="expression"/>; throws <see cref="CesqlCompileException"/> for parse errors and
    /// calls of unknown functions (SQL-12).</summary>
    public static CesqlExpression Compile(string expression) => new(CesqlParser.Parse(expression));

    /// <summary>
    /// Evaluates against an event. The result is the expression's value; when a sub-expression failed, operators
    /// above it yield their zero values (SQL-07, SQL-11) and <paramref name="errors"/> lists every error.
    /// </summary>
    public CesqlValue Evaluate(CloudEvent cloudEvent, out IReadOnlyList<CesqlError> errors)
    {
        var state = default(CesqlState);
        var value = _root.Evaluate(cloudEvent, ref state);
        errors = state.Errors;
        return value;
    }

    /// <summary>The filter rule (FLT-16): true only for Boolean TRUE with no error.</summary>
    public bool Passes(CloudEvent cloudEvent)
    {
        var state = default(CesqlState);
        var value = _root.Evaluate(cloudEvent, ref state);
        return value is { Type: CesqlType.Boolean, Boolean: true, Failed: false } && state.Errors.Count == 0;
    }
}
