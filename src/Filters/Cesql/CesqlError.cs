namespace Gateway.Filters.Cesql;

/// <summary>The error kinds every engine supports (SQL-10), named as the TCK names them.</summary>
public enum CesqlErrorKind
{
    /// <summary><c>parse</c>.</summary>
    Parse,

    /// <summary><c>math</c>.</summary>
    Math,

    /// <summary><c>cast</c>.</summary>
    Cast,

    /// <summary><c>missingAttribute</c>.</summary>
    MissingAttribute,

    /// <summary><c>missingFunction</c>.</summary>
    MissingFunction,

    /// <summary><c>functionEvaluation</c>.</summary>
    FunctionEvaluation,

    /// <summary><c>generic</c>.</summary>
    Generic,
}

/// <summary>One error: its kind and a message.</summary>
public sealed record CesqlError(CesqlErrorKind Kind, string Message);

/// <summary>An expression that cannot be compiled: a parse error, or a call to a function that does not exist.</summary>
public sealed class CesqlCompileException(CesqlErrorKind kind, int position, string message)
    : Exception($"{message} (at position {position})")
{
    /// <summary><see cref="CesqlErrorKind.Parse"/> or <see cref="CesqlErrorKind.MissingFunction"/>.</summary>
    public CesqlErrorKind Kind => kind;

    /// <summary>The 0-based position in the expression where the error is.</summary>
    public int Position => position;
}
