using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Discovery;

/// <summary>
/// The <c>filter=ATTR[=VALUE]</c> query of <c>GET /services</c> (§9.1): <c>ATTR</c> alone matches a non-empty
/// value, <c>ATTR=</c> an empty or absent one, <c>ATTR=VALUE</c> a case-insensitive substring. Attribute names are
/// case-sensitive, nested ones use dots (<c>events.type</c>), and repeated filters all apply.
/// </summary>
internal sealed class ServiceFilter
{
    /// <summary>The attributes a filter may name; <c>GET /features</c> lists them.</summary>
    public static readonly string[] Attributes =
    [
        "id", "name", "description", "docsurl", "authority", "specversions", "subscriptionurl", "protocols",
        "subscriptiondialects", "authscope", "events.type", "events.datacontenttype", "events.dataschema",
        "events.description", "events.sourcetemplate",
    ];

    private readonly (string[] Path, string? Value)[] _conditions;

    private ServiceFilter((string[] Path, string? Value)[] conditions)
    {
        _conditions = conditions;
    }

    /// <summary>Parses the query's <c>filter</c> values; unknown attributes are returned for a 400.</summary>
    public static (ServiceFilter? Filter, string? Unsupported) Parse(IEnumerable<string?> filters)
    {
        var conditions = new List<(string[], string?)>();
        foreach (var filter in filters.Where(f => f is not null).Select(f => f!))
        {
            var equals = filter.IndexOf('=', StringComparison.Ordinal);
            var attribute = equals < 0 ? filter : filter[..equals];
            if (!Attributes.Contains(attribute, StringComparer.Ordinal))
            {
                return (null, attribute);
            }

            conditions.Add((attribute.Split('.'), equals < 0 ? null : filter[(equals + 1)..]));
        }

        return (new ServiceFilter([.. conditions]), null);
    }

    public bool Matches(JsonObject service)
    {
        foreach (var (path, expected) in _conditions)
        {
            var values = Values(service, path, 0).ToList();
            var matches = expected switch
            {
                null => values.Exists(v => v.Length > 0),
                "" => values.Count == 0 || values.Exists(v => v.Length == 0),
                _ => values.Exists(v => v.Contains(expected, StringComparison.OrdinalIgnoreCase)),
            };
            if (!matches)
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<string> Values(JsonNode? node, string[] path, int depth)
    {
        switch (node)
        {
            case JsonArray array:
                return array.SelectMany(item => Values(item, path, depth));
            case JsonObject json when depth < path.Length:
                return Values(json[path[depth]], path, depth + 1);
            case JsonValue value when depth == path.Length:
                return [value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString()];
            default:
                return [];
        }
    }
}
