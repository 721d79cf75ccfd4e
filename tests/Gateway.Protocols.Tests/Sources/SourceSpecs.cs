using System.Text.Json.Nodes;
using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Tests.Sources;

/// <summary>Source specs for the tests: an id of their own, and defaults for wrapped messages.</summary>
internal static class SourceSpecs
{
    public static readonly SourceDefaults Defaults = new("com.example.wrapped", "/tests/sources", null);

    public static SourceSpec Create(string address, string settings, SinkCredential? credential = null, string? id = null) =>
        new(id ?? Guid.NewGuid().ToString("N"), address, JsonNode.Parse(settings)!.AsObject(), credential, Defaults);

    /// <summary>Validates and completes the spec; the errors' fields, in order.</summary>
    public static List<string> Validate(ISourceBinding binding, SourceSpec spec)
    {
        var errors = new List<ValidationError>();
        binding.ValidateAndComplete(spec, errors);
        return errors.ConvertAll(e => e.Field);
    }
}
