namespace Gateway.Protocols.Mqtt;

/// <summary>The topic filter rules of MQTT (§4.7): levels split by <c>/</c>, <c>+</c> one whole level, <c>#</c> the whole last one.</summary>
internal static class MqttTopics
{
    /// <summary>The prefix of a shared subscription (MQTT 5 §4.8.2; Mosquitto takes it with MQTT 3.1.1 as well).</summary>
    public const string SharePrefix = "$share/";

    public static bool IsValidFilter(string filter)
    {
        if (filter.Length == 0 || filter.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        var levels = filter.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if ((level.Contains('#', StringComparison.Ordinal) && (level != "#" || i != levels.Length - 1))
                || (level.Contains('+', StringComparison.Ordinal) && level != "+"))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A share name has no <c>/</c>, <c>+</c> or <c>#</c> (MQTT 5 §4.8.2).</summary>
    public static bool IsValidShareName(string name) => name.Length > 0 && name.IndexOfAny(['/', '+', '#']) < 0;
}
