using System.Globalization;

namespace Gateway.Protocols.CloudEvents;

/// <summary>The abstract type of an attribute value as a format carried it (CloudEvents §2.2).</summary>
public enum CloudEventValueType
{
    /// <summary>String, and every type whose format carries it as a string (URI, Timestamp, Binary).</summary>
    String,

    /// <summary>A 32-bit signed integer.</summary>
    Integer,

    /// <summary>A Boolean.</summary>
    Boolean,
}

/// <summary>
/// An attribute value: its type and its canonical string, computed once so that filters compare strings
/// without allocating (FLT-09).
/// </summary>
public readonly record struct CloudEventValue
{
    private CloudEventValue(CloudEventValueType type, string text, int integer)
    {
        Type = type;
        Text = text;
        Integer = integer;
    }

    /// <summary>The type the value arrived with.</summary>
    public CloudEventValueType Type { get; }

    /// <summary>The canonical string (CE-04); for a <c>time</c> it is the string as received.</summary>
    public string Text { get; }

    /// <summary>The value of an Integer (0 otherwise).</summary>
    public int Integer { get; }

    /// <summary>True for a Boolean <c>true</c>.</summary>
    public bool Boolean => Type == CloudEventValueType.Boolean && Integer != 0;

    /// <summary>A String value.</summary>
    public static CloudEventValue FromString(string text) => new(CloudEventValueType.String, text, 0);

    /// <summary>An Integer value.</summary>
    public static CloudEventValue FromInteger(int value) =>
        new(CloudEventValueType.Integer, value.ToString(CultureInfo.InvariantCulture), value);

    /// <summary>A Boolean value; its canonical strings are <c>true</c> and <c>false</c>.</summary>
    public static CloudEventValue FromBoolean(bool value) =>
        new(CloudEventValueType.Boolean, value ? "true" : "false", value ? 1 : 0);

    /// <inheritdoc/>
    public override string ToString() => Text;
}
