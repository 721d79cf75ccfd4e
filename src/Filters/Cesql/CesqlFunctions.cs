using System.Globalization;
using System.Text;

namespace Gateway.Filters.Cesql;

/// <summary>The body of a built-in function; arguments are already cast to its parameter types.</summary>
internal delegate CesqlValue CesqlFunctionBody(ReadOnlySpan<CesqlValue> args, ref CesqlState state);

/// <summary>
/// A built-in function (§8.7). <see cref="Parameters"/> null entries accept any type; <see cref="Variadic"/> is the
/// type of the repeated trailing parameter, if any.
/// </summary>
internal sealed record CesqlFunction(string Name, CesqlType?[] Parameters, CesqlType? Variadic, CesqlType Result, CesqlFunctionBody Body);

/// <summary>The built-in functions, dispatched by name (case-insensitive) and arity (SQL-17).</summary>
internal static class CesqlFunctions
{
    private static readonly CesqlType?[] S = [CesqlType.String];
    private static readonly CesqlType?[] SI = [CesqlType.String, CesqlType.Integer];

    private static readonly CesqlFunction[] All =
    [
        new("LENGTH", S, null, CesqlType.Integer, (a, ref _) => CesqlValue.From(a[0].String.EnumerateRunes().Count())),
        new("CONCAT", [], CesqlType.String, CesqlType.String, (a, ref _) => CesqlValue.From(Join(string.Empty, a))),
        new("CONCAT_WS", S, CesqlType.String, CesqlType.String, (a, ref _) => CesqlValue.From(Join(a[0].String, a[1..]))),
        new("LOWER", S, null, CesqlType.String, (a, ref _) => CesqlValue.From(a[0].String.ToLowerInvariant())),
        new("UPPER", S, null, CesqlType.String, (a, ref _) => CesqlValue.From(a[0].String.ToUpperInvariant())),
        new("TRIM", S, null, CesqlType.String, (a, ref _) => CesqlValue.From(a[0].String.Trim())),
        new("LEFT", SI, null, CesqlType.String, Left),
        new("RIGHT", SI, null, CesqlType.String, Right),
        new("SUBSTRING", SI, null, CesqlType.String, (a, ref s) => Substring(a[0].String, a[1].Integer, null, ref s)),
        new("SUBSTRING", [CesqlType.String, CesqlType.Integer, CesqlType.Integer], null, CesqlType.String, (a, ref s) => Substring(a[0].String, a[1].Integer, a[2].Integer, ref s)),
        new("ABS", [CesqlType.Integer], null, CesqlType.Integer, Abs),

        // INT, BOOL and STRING: the explicit casts of §8.8, required by the TCK though missing from the tables (G17).
        new("INT", [null], null, CesqlType.Integer, (a, ref s) => CesqlCasts.To(CesqlType.Integer, a[0], ref s)),
        new("BOOL", [null], null, CesqlType.Boolean, (a, ref s) => CesqlCasts.To(CesqlType.Boolean, a[0], ref s)),
        new("STRING", [null], null, CesqlType.String, (a, ref s) => CesqlCasts.To(CesqlType.String, a[0], ref s)),
    ];

    /// <summary>The function for a call, or null (MissingFunctionError, SQL-18).</summary>
    public static CesqlFunction? Find(string name, int arity)
    {
        foreach (var function in All)
        {
            if (function.Name.Equals(name, StringComparison.OrdinalIgnoreCase)
                && (function.Parameters.Length == arity || (function.Variadic is not null && arity >= function.Parameters.Length)))
            {
                return function;
            }
        }

        return null;
    }

    private static string Join(string separator, ReadOnlySpan<CesqlValue> values)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < values.Length; i++)
        {
            builder.Append(i == 0 ? string.Empty : separator).Append(values[i].String);
        }

        return builder.ToString();
    }

    private static CesqlValue Left(ReadOnlySpan<CesqlValue> a, ref CesqlState state)
    {
        var (text, length) = (a[0].String, a[1].Integer);
        return length < 0
            ? state.Fail(CesqlErrorKind.FunctionEvaluation, "LEFT needs a length of 0 or more", CesqlValue.From(text))
            : CesqlValue.From(length >= text.Length ? text : text[..length]);
    }

    private static CesqlValue Right(ReadOnlySpan<CesqlValue> a, ref CesqlState state)
    {
        var (text, length) = (a[0].String, a[1].Integer);
        return length < 0
            ? state.Fail(CesqlErrorKind.FunctionEvaluation, "RIGHT needs a length of 0 or more", CesqlValue.From(text))
            : CesqlValue.From(length >= text.Length ? text : text[^length..]);
    }

    /// <summary>1-based; a negative position counts from the end; 0 gives "" (§8.7).</summary>
    private static CesqlValue Substring(string text, int position, int? length, ref CesqlState state)
    {
        if (position > text.Length || position < -text.Length)
        {
            return state.Fail(CesqlErrorKind.FunctionEvaluation, $"position {position} is outside the string", CesqlValue.From(string.Empty));
        }

        if (length < 0)
        {
            return state.Fail(CesqlErrorKind.FunctionEvaluation, "SUBSTRING needs a length of 0 or more", CesqlValue.From(string.Empty));
        }

        if (position == 0)
        {
            return CesqlValue.From(string.Empty);
        }

        var start = position > 0 ? position - 1 : text.Length + position;
        var available = text.Length - start;
        return CesqlValue.From(text.Substring(start, Math.Min(length ?? available, available)));
    }

    private static CesqlValue Abs(ReadOnlySpan<CesqlValue> a, ref CesqlState state) =>
        a[0].Integer == int.MinValue
            ? state.Fail(CesqlErrorKind.Math, "ABS(-2147483648) does not fit", CesqlValue.From(int.MaxValue))
            : CesqlValue.From(Math.Abs(a[0].Integer));

    /// <summary>For messages: NAME/arity.</summary>
    public static string Describe(string name, int arity) => string.Create(CultureInfo.InvariantCulture, $"{name.ToUpperInvariant()}/{arity}");
}
