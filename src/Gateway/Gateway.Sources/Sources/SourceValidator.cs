using System.Text.Json.Nodes;
using Gateway.Protocols.Abstractions;
using Gateway.Subscriptions;

namespace Gateway.Sources;

/// <summary>Reads a source object from <c>POST /sources</c> (or configuration), naming every field that is wrong.</summary>
internal sealed class SourceValidator(SourceRegistry registry)
{
    private static readonly HashSet<string> Members =
        ["id", "protocol", "address", "protocolsettings", "credential", "defaults", "status"];

    /// <summary>The definition, or null with <paramref name="errors"/> filled. <c>id</c> and <c>status</c> are read-only.</summary>
    public SourceDefinition? Validate(JsonNode? body, string id, bool declared, List<ValidationError> errors)
    {
        if (body is not JsonObject json)
        {
            errors.Add(new("", "the body must be a JSON object"));
            return null;
        }

        foreach (var (name, _) in json.Where(m => !Members.Contains(m.Key)))
        {
            errors.Add(new(name, "is not a member of a source"));
        }

        var protocol = RequiredString(json, "protocol", errors);
        var address = RequiredString(json, "address", errors);
        var settings = json["protocolsettings"] switch
        {
            null => new JsonObject(),
            JsonObject given => given.DeepClone().AsObject(),
            _ => Invalid<JsonObject>("protocolsettings", "must be an object", errors),
        };
        var credential = SinkCredentials.Read(json["credential"], "credential", errors);
        var defaults = ReadDefaults(json["defaults"], errors);
        var binding = protocol is null ? null : registry.Find(protocol);
        if (protocol is not null && binding is null)
        {
            errors.Add(new("protocol", $"unsupported source protocol '{protocol}'; use one of {string.Join(", ", registry.Names)}"));
        }

        if (errors.Count > 0 || binding is null || address is null || settings is null || defaults is null)
        {
            return null;
        }

        var definition = new SourceDefinition(id, protocol!, address, settings, credential, defaults, declared);
        binding.ValidateAndComplete(definition.Spec, errors);
        return errors.Count == 0 ? definition : null;
    }

    private static SourceDefaults? ReadDefaults(JsonNode? node, List<ValidationError> errors)
    {
        if (node is not JsonObject json)
        {
            return Invalid<SourceDefaults>("defaults", "is required: an object with type and source, for messages that are not CloudEvents", errors);
        }

        var type = RequiredString(json, "type", errors, "defaults.");
        var source = RequiredString(json, "source", errors, "defaults.");
        var contentType = json["datacontenttype"] is { } given ? StringOf(given, "defaults.datacontenttype", errors) : null;
        if (contentType is not null && !Protocols.CloudEvents.MediaTypes.IsValid(contentType))
        {
            errors.Add(new("defaults.datacontenttype", "must be a media type (RFC 2045)"));
        }

        if (type is null || source is null)
        {
            return null;
        }

        var defaults = new SourceDefaults(type, source, contentType);
        foreach (var error in MessageWrapper.Check(defaults))
        {
            errors.Add(new($"defaults.{error.Field}", error.Message));
        }

        return defaults;
    }

    private static string? RequiredString(JsonObject json, string name, List<ValidationError> errors, string prefix = "") =>
        json[name] is { } node
            ? StringOf(node, prefix + name, errors) is { Length: > 0 } value ? value : Invalid<string>(prefix + name, "must not be empty", errors)
            : Invalid<string>(prefix + name, "is required", errors);

    private static string? StringOf(JsonNode node, string field, List<ValidationError> errors) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : Invalid<string>(field, "must be a string", errors);

    private static T? Invalid<T>(string field, string message, List<ValidationError> errors)
        where T : class
    {
        errors.Add(new(field, message));
        return null;
    }
}
