namespace Gateway.Subscriptions;

/// <summary>
/// The protocols this gateway delivers over, by their Subscriptions API names, with the setting each one requires
/// (§6.3, §6.6 item 8). Each has a binding registered at start.
/// </summary>
internal static class KnownProtocols
{
    private static readonly Dictionary<string, string?> RequiredSetting = new(StringComparer.Ordinal)
    {
        ["HTTP"] = null,
        ["OPENWHISK"] = null,
        ["KAFKA"] = "topicname",
        ["MQTT3"] = "topicname",
        ["MQTT5"] = "topicname",
        ["NATS"] = "subject",
    };

    /// <summary>Every known protocol name, compared case-sensitively (SUB-16).</summary>
    public static IEnumerable<string> Names => RequiredSetting.Keys;

    /// <summary>True for a known protocol; <paramref name="requiredSetting"/> names the setting it needs, if any.</summary>
    public static bool TryGet(string protocol, out string? requiredSetting) =>
        RequiredSetting.TryGetValue(protocol, out requiredSetting);
}
