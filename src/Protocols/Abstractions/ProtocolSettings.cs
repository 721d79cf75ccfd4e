using System.Text.Json.Nodes;

namespace Gateway.Protocols.Abstractions;

/// <summary>Reads the <c>protocolsettings</c> every sink and source binding checks the same way.</summary>
public static class ProtocolSettings
{
    /// <summary>
    /// A setting a protocol cannot deliver without (§6.3: <c>topicname</c>, <c>subject</c>): an error naming it
    /// when it is absent or not a non-empty string.
    /// </summary>
    public static void RequireText(JsonObject settings, string name, string protocol, ICollection<ValidationError> errors)
    {
        if (settings[name] is not JsonValue value || !value.TryGetValue<string>(out var text) || text.Length == 0)
        {
            errors.Add(new($"protocolsettings.{name}", $"{protocol} subscriptions need a non-empty string '{name}' (§6.3)"));
        }
    }

    /// <summary>The setting's string; an error when it is there but not a non-empty string; null when absent.</summary>
    public static string? Text(JsonObject settings, string name, ICollection<ValidationError> errors)
    {
        if (settings[name] is not { } node)
        {
            return null;
        }

        if (node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0)
        {
            return text;
        }

        errors.Add(new($"protocolsettings.{name}", "must be a non-empty string"));
        return null;
    }

    /// <summary>An ISO-8601 duration (<c>PT30S</c>) from <paramref name="min"/> to <paramref name="max"/>, or null.</summary>
    public static TimeSpan? Duration(JsonNode node, TimeSpan min, TimeSpan max) =>
        node is JsonValue value && value.TryGetValue<string>(out var text)
        && IsoDuration.TryParse(text, out var duration) && duration >= min && duration <= max
            ? duration
            : null;
}
