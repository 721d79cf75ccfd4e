using System.Globalization;
using Gateway.Protocols.CloudEvents;
using Gateway.Testing;
using YamlDotNet.RepresentationModel;

namespace Gateway.Filters.Tests.Cesql;

/// <summary>
/// One case of the official CESQL TCK (spec/cesql_tck), loaded as written: YAML scalars keep their text (a plain
/// <c>2018-04-26T14:48:09+02:00</c> stays that string), and plain <c>true</c>/<c>false</c> and integers become Boolean
/// and Integer values (§8.9 harness guidance).
/// </summary>
public sealed record CesqlTckCase(string File, string Name, string Expression, object? Result, string? Error, CloudEvent Event)
{
    public override string ToString() => $"{File}: {Name}";

    public static IEnumerable<CesqlTckCase> Load()
    {
        foreach (var path in Directory.EnumerateFiles(SpecFiles.Path("spec/cesql_tck"), "*.yaml").Order(StringComparer.Ordinal))
        {
            var yaml = new YamlStream();
            using (var reader = System.IO.File.OpenText(path))
            {
                yaml.Load(reader);
            }

            var root = (YamlMappingNode)yaml.Documents[0].RootNode;
            foreach (var test in ((YamlSequenceNode)root["tests"]).Cast<YamlMappingNode>())
            {
                yield return new CesqlTckCase(
                    Path.GetFileName(path),
                    Text(test, "name")!,
                    Text(test, "expression")!,
                    test.Children.TryGetValue(new YamlScalarNode("result"), out var result) ? Typed((YamlScalarNode)result) : null,
                    Text(test, "error"),
                    BuildEvent(test));
            }
        }
    }

    private static CloudEvent BuildEvent(YamlMappingNode test)
    {
        var builder = new CloudEventBuilder();
        if (test.Children.TryGetValue(new YamlScalarNode("event"), out var given))
        {
            Apply(builder, (YamlMappingNode)given);
            return builder.Build();
        }

        // "Any valid event": the four required attributes only, so that myext, missing and friends are absent.
        var overrides = test.Children.TryGetValue(new YamlScalarNode("eventOverrides"), out var o) ? (YamlMappingNode)o : new YamlMappingNode();
        foreach (var (name, value) in new[] { ("specversion", "1.0"), ("id", "tck-id"), ("source", "/tck"), ("type", "io.cloudevents.tck") })
        {
            if (!overrides.Children.ContainsKey(new YamlScalarNode(name)))
            {
                builder.Set(name, value);
            }
        }

        Apply(builder, overrides);
        return builder.Build();
    }

    private static void Apply(CloudEventBuilder builder, YamlMappingNode attributes)
    {
        foreach (var (key, value) in attributes.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            var typed = Typed((YamlScalarNode)value);
            builder.Set(name, CloudEventAttributes.IsCore(name) ? CloudEventValue.FromString(((YamlScalarNode)value).Value!) : typed switch
            {
                bool b => CloudEventValue.FromBoolean(b),
                int i => CloudEventValue.FromInteger(i),
                _ => CloudEventValue.FromString((string)typed!),
            });
        }
    }

    /// <summary>Plain scalars true/false and integers are typed; everything else is the string as written.</summary>
    private static object? Typed(YamlScalarNode node)
    {
        var text = node.Value ?? string.Empty;
        if (node.Style != YamlDotNet.Core.ScalarStyle.Plain)
        {
            return text;
        }

        if (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return text.Equals("true", StringComparison.OrdinalIgnoreCase);
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) ? integer : text;
    }

    private static string? Text(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;
}
