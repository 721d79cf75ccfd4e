using System.Globalization;

namespace Gateway.Filters.Cesql;

/// <summary>The casts of §8.8 (SQL-20), used both implicitly and by INT, BOOL and STRING.</summary>
internal static class CesqlCasts
{
    public static CesqlValue To(CesqlType target, CesqlValue value, ref CesqlState state)
    {
        if (value.Failed || value.Type == target)
        {
            return value.Failed ? CesqlValue.Zero(target) : value;
        }

        return (value.Type, target) switch
        {
            (CesqlType.Integer, CesqlType.String) => CesqlValue.From(value.Integer.ToString(CultureInfo.InvariantCulture)),
            (CesqlType.Integer, CesqlType.Boolean) => CesqlValue.From(value.Integer != 0),
            (CesqlType.Boolean, CesqlType.Integer) => CesqlValue.From(value.Boolean ? 1 : 0),
            (CesqlType.Boolean, CesqlType.String) => CesqlValue.From(value.Boolean ? "true" : "false"),
            (CesqlType.String, CesqlType.Integer) => int.TryParse(value.String, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
                ? CesqlValue.From(n)
                : state.Fail(CesqlErrorKind.Cast, $"'{value.String}' is not a 32-bit integer", CesqlType.Integer),
            _ => value.String.ToLowerInvariant() switch
            {
                "true" => CesqlValue.From(true),
                "false" => CesqlValue.From(false),
                _ => state.Fail(CesqlErrorKind.Cast, $"'{value.String}' is not a Boolean", CesqlType.Boolean),
            },
        };
    }
}
