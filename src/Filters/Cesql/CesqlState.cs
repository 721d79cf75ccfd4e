namespace Gateway.Filters.Cesql;

/// <summary>The errors of one evaluation; allocates only when there is an error.</summary>
internal struct CesqlState
{
    private List<CesqlError>? _errors;

    public readonly IReadOnlyList<CesqlError> Errors => _errors ?? (IReadOnlyList<CesqlError>)[];

    /// <summary>Records an error and returns the zero value of <paramref name="type"/>, marked failed.</summary>
    public CesqlValue Fail(CesqlErrorKind kind, string message, CesqlType type)
    {
        (_errors ??= []).Add(new CesqlError(kind, message));
        return CesqlValue.Zero(type);
    }

    /// <summary>Records an error and returns <paramref name="value"/>, marked failed.</summary>
    public CesqlValue Fail(CesqlErrorKind kind, string message, CesqlValue value)
    {
        (_errors ??= []).Add(new CesqlError(kind, message));
        return value.AsFailed();
    }
}
