using System.Globalization;
using System.Text.Json.Nodes;

namespace Gateway.Sources;

/// <summary>
/// Sources an operator declares in configuration (<c>Gateway:Sources:{id}:protocol</c>, <c>…:address</c>,
/// <c>…:protocolsettings:{name}</c>, <c>…:credential:{name}</c>, <c>…:defaults:{name}</c>), read as the same JSON
/// object <c>POST /sources</c> takes. Configuration values are strings: the settings that are numbers or flags
/// (<see cref="TypedSettings"/>) are read as such, every other value stays a string (a secret of digits is still a
/// string), and a section whose keys are 0, 1, 2… (how configuration spells an array) becomes an array.
/// </summary>
internal sealed record DeclaredSources(IReadOnlyList<KeyValuePair<string, JsonObject>> Sources)
{
    private static readonly HashSet<string> TypedSettings = ["qos", "sessionexpiry", "tls"];

    public static DeclaredSources Read(IConfiguration configuration) =>
        new([.. configuration.GetSection("Gateway:Sources").GetChildren().Select(s => KeyValuePair.Create(s.Key, ToJson(s)))]);

    private static JsonObject ToJson(IConfigurationSection section)
    {
        var json = new JsonObject();
        foreach (var child in section.GetChildren())
        {
            json[child.Key.ToLowerInvariant()] = ToNode(child);
        }

        return json;
    }

    private static JsonNode ToNode(IConfigurationSection section)
    {
        if (section.Value is { } value)
        {
            return TypedSettings.Contains(section.Key.ToLowerInvariant()) ? ToValue(value) : JsonValue.Create(value);
        }

        var children = section.GetChildren().ToList();
        var isArray = children.Count > 0 && children
            .Select((child, index) => child.Key == index.ToString(CultureInfo.InvariantCulture))
            .All(matches => matches);
        return isArray ? new JsonArray([.. children.Select(ToNode)]) : ToJson(section);
    }

    private static JsonValue ToValue(string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(number)
        : bool.TryParse(value, out var flag) ? JsonValue.Create(flag)
        : JsonValue.Create(value);
}
