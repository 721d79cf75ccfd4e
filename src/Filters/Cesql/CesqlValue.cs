using System.Globalization;

namespace Gateway.Filters.Cesql;

/// <summary>The three CESQL types (§8.3).</summary>
public enum CesqlType
{
    /// <summary>Boolean; zero value false.</summary>
    Boolean,

    /// <summary>32-bit signed integer; zero value 0.</summary>
    Integer,

    /// <summary>String; zero value "".</summary>
    String,
}

/// <summary>
/// A CESQL value, without boxing. <see cref="Failed"/> marks a value produced by a failed sub-expression: the
/// enclosing operator then yields its own zero value instead of computing with it (SQL-07, SQL-11).
/// </summary>
public readonly record struct CesqlValue
{
    private readonly int _integer;
    private readonly string? _string;

    private CesqlValue(CesqlType type, int integer, string? text, bool failed)
    {
        Type = type;
        _integer = integer;
        _string = text;
        Failed = failed;
    }

    /// <summary>The value's type.</summary>
    public CesqlType Type { get; }

    /// <summary>True when an error produced this value.</summary>
    public bool Failed { get; }

    /// <summary>The Boolean value.</summary>
    public bool Boolean => _integer != 0;

    /// <summary>The Integer value.</summary>
    public int Integer => _integer;

    /// <summary>The String value.</summary>
    public string String => _string ?? string.Empty;

    /// <summary>A Boolean.</summary>
    public static CesqlValue From(bool value) => new(CesqlType.Boolean, value ? 1 : 0, null, false);

    /// <summary>An Integer.</summary>
    public static CesqlValue From(int value) => new(CesqlType.Integer, value, null, false);

    /// <summary>A String.</summary>
    public static CesqlValue From(string value) => new(CesqlType.String, 0, value, false);

    /// <summary>The zero value of <paramref name="type"/>, marked failed.</summary>
    public static CesqlValue Zero(CesqlType type) => new(type, 0, type == CesqlType.String ? string.Empty : null, true);

    /// <summary>This value, marked failed (a function that errs but still returns a value, SQL-19).</summary>
    public CesqlValue AsFailed() => new(Type, _integer, _string, true);

    /// <summary>The value as the plain CLR object (bool, int or string), for tests and diagnostics.</summary>
    public object ToObject() => Type switch
    {
        CesqlType.Boolean => Boolean,
        CesqlType.Integer => Integer,
        _ => String,
    };

    /// <inheritdoc/>
    public override string ToString() => Type switch
    {
        CesqlType.Boolean => Boolean ? "TRUE" : "FALSE",
        CesqlType.Integer => Integer.ToString(CultureInfo.InvariantCulture),
        _ => $"'{String}'",
    };
}
