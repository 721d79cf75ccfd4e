using System.Text;
using System.Text.Json.Nodes;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Http;
using Gateway.Protocols.CloudEvents.Json;
using Gateway.Testing;
using YamlDotNet.RepresentationModel;

namespace Gateway.Protocols.Tests.Conformance;

/// <summary>
/// The conformance tool's YAML events (cloudevents-conformance/yaml), sent the way the tool's <c>invoke</c> sends
/// them, read back by our HTTP binding. The 0.3 corpus must be rejected: the product speaks 1.0 only.
/// </summary>
public sealed class YamlConformanceTests
{
    public static TheoryData<string, int> V1Events => Rows("yaml/v1.yaml", "yaml/v1.0/v1_minimum.yaml");

    public static TheoryData<string, int> V03Events => Rows("yaml/v03.yaml", "yaml/v0.3/v03_minimum.yaml");

    [Theory]
    [MemberData(nameof(V1Events))]
    public void V1Event_IsReadWithEveryAttributeAndItsData(string file, int index)
    {
        var yaml = Load(file)[index];

        var parsed = Send(yaml);

        foreach (var (name, value) in Attributes(yaml))
        {
            Assert.True(parsed.TryGetAttribute(name, out var actual), $"{name} is missing");
            Assert.Equal(value, actual.Text);
        }

        var data = Text(yaml, "Data") ?? string.Empty;
        var contentType = Attributes(yaml).GetValueOrDefault("datacontenttype");
        if (Text(yaml, "Mode") == "structured")
        {
            // JSON-07/JSON-13: with a JSON content type, or none, the data is embedded as a JSON value; the parser keeps
            // that value's text, so it is compared as JSON.
            Assert.Equal(MediaTypes.IsJson(contentType), parsed.Data.IsJson);
            if (parsed.Data.IsJson)
            {
                Assert.True(JsonNode.DeepEquals(JsonNode.Parse(data), JsonNode.Parse(parsed.Data.Bytes.Span)));
                return;
            }
        }
        else
        {
            // HTTP-07: in binary mode the body is the data. It is JSON only under a JSON Content-Type; a body without
            // Content-Type is opaque (JSON-10).
            Assert.Equal(contentType is not null && MediaTypes.IsJson(contentType), parsed.Data.IsJson);
        }

        Assert.Equal(Encoding.UTF8.GetBytes(data), parsed.Data.Bytes.ToArray());
    }

    [Theory]
    [MemberData(nameof(V03Events))]
    public void V03Event_IsRejectedOnSpecVersion(string file, int index)
    {
        var yaml = Load(file)[index];

        var ex = Assert.Throws<CloudEventFormatException>(() => Send(yaml));

        // The error names the field as the request spelled it: the header in binary mode, the member in structured.
        Assert.Contains(Text(yaml, "Mode") == "structured" ? "specversion" : "ce-specversion", ex.Errors.Select(e => e.Field));
    }

    /// <summary>Binary: ce- headers (percent-encoded) plus Content-Type and the data; structured: the JSON format.</summary>
    private static CloudEvent Send(YamlMappingNode yaml)
    {
        var attributes = Attributes(yaml);
        var data = Text(yaml, "Data") ?? string.Empty;
        if (Text(yaml, "Mode") == "structured")
        {
            var json = new JsonObject();
            foreach (var (name, value) in attributes)
            {
                json[name] = value;
            }

            json["data"] = MediaTypes.IsJson(attributes.GetValueOrDefault("datacontenttype")) ? JsonNode.Parse(data) : data;
            return JsonEventFormat.Parse(Encoding.UTF8.GetBytes(json.ToJsonString()));
        }

        // HTTP-06, HTTP-08, HTTP-11: datacontenttype is the Content-Type, every other attribute a percent-encoded
        // ce- header; the TransportExtensions are the tool's extra, non-CloudEvents headers.
        var headers = attributes.Where(a => a.Key != "datacontenttype")
            .Select(a => KeyValuePair.Create("ce-" + a.Key, HttpHeaderValue.Encode(a.Value)))
            .Concat(Scalars(yaml, "TransportExtensions"));
        return HttpBinding.DecodeBinary(attributes.GetValueOrDefault("datacontenttype"), headers, Encoding.UTF8.GetBytes(data));
    }

    /// <summary>The context attributes and extensions, each as the string the YAML holds.</summary>
    private static Dictionary<string, string> Attributes(YamlMappingNode yaml)
    {
        var context = (YamlMappingNode)yaml["ContextAttributes"];
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in context.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            if (name == "Extensions")
            {
                foreach (var (extKey, extValue) in ((YamlMappingNode)value).Children)
                {
                    // comexampleextension2 is a YAML block scalar, so it ends in a newline: a control character that
                    // §2.2 forbids in a String, and that no HTTP header can carry unencoded. The tool's corpus is an
                    // input, not an oracle (§11.1): the value is taken without the block's final newline.
                    result[((YamlScalarNode)extKey).Value!] = ((YamlScalarNode)extValue).Value!.TrimEnd('\n');
                }
            }
            else if (value is YamlScalarNode { Value: { Length: > 0 } text })
            {
                result[name] = text;
            }
        }

        return result;
    }

    private static IEnumerable<KeyValuePair<string, string>> Scalars(YamlMappingNode yaml, string key) =>
        yaml.Children.TryGetValue(new YamlScalarNode(key), out var node)
            ? ((YamlMappingNode)node).Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ((YamlScalarNode)c.Value).Value!))
            : [];

    private static string? Text(YamlMappingNode yaml, string key) =>
        yaml.Children.TryGetValue(new YamlScalarNode(key), out var node) ? ((YamlScalarNode)node).Value : null;

    private static List<YamlMappingNode> Load(string file)
    {
        var stream = new YamlStream();
        using var reader = File.OpenText(SpecFiles.Path($"spec/conformance/cloudevents-conformance/{file}"));
        stream.Load(reader);
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static TheoryData<string, int> Rows(params string[] files)
    {
        var rows = new TheoryData<string, int>();
        foreach (var file in files)
        {
            for (var i = 0; i < Load(file).Count; i++)
            {
                rows.Add(file, i);
            }
        }

        return rows;
    }
}
