using System.Text.Json;
using Gateway.Protocols.CloudEvents;

namespace Gateway.Filters.Dialects;

/// <summary>How an attribute filter compares (§7.1).</summary>
public enum AttributeMatchKind
{
    /// <summary>Equal, ordinal.</summary>
    Exact,

    /// <summary>Starts with, ordinal.</summary>
    Prefix,

    /// <summary>Ends with, ordinal.</summary>
    Suffix,
}

/// <summary>The <c>exact</c>, <c>prefix</c> and <c>suffix</c> dialects: a map of attribute name to string.</summary>
internal sealed class AttributeDialect : IFilterDialect
{
    public static readonly AttributeDialect Exact = new(AttributeMatchKind.Exact, "exact");
    public static readonly AttributeDialect Prefix = new(AttributeMatchKind.Prefix, "prefix");
    public static readonly AttributeDialect Suffix = new(AttributeMatchKind.Suffix, "suffix");

    private readonly AttributeMatchKind _kind;

    private AttributeDialect(AttributeMatchKind kind, string name)
    {
        _kind = kind;
        Names = [name];
    }

    public IReadOnlyList<string> Names { get; }

    public IEventFilter? Compile(JsonElement value, string path, FilterCompiler compiler, List<FilterError> errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, "must be an object that maps attribute names to strings"));
            return null;
        }

        var before = errors.Count;
        var conditions = new List<AttributeCondition>();
        foreach (var member in value.EnumerateObject())
        {
            var memberPath = $"{path}.{member.Name}";
            if (!CloudEventAttributes.IsValidName(member.Name))
            {
                // FLT-05, FLT-10: an empty or impossible attribute name could never match.
                errors.Add(new(memberPath, "must be a CloudEvents attribute name: lower-case letters and digits (FLT-05, FLT-10)"));
            }
            else if (member.Value.ValueKind != JsonValueKind.String)
            {
                errors.Add(new(memberPath, "must be a string"));
            }
            else if (member.Value.GetString() is not { Length: > 0 } expected)
            {
                errors.Add(new(memberPath, "must not be empty (FLT-05)"));
            }
            else
            {
                conditions.Add(new(member.Name, expected));
            }
        }

        if (conditions.Count == 0 && errors.Count == before)
        {
            // FLT-11: an empty map would match everything by accident.
            errors.Add(new(path, "must name at least one attribute (FLT-11)"));
        }

        return errors.Count == before ? new AttributeFilter(_kind, [.. conditions]) : null;
    }
}
