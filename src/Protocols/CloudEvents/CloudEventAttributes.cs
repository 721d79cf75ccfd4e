namespace Gateway.Protocols.CloudEvents;

/// <summary>Attribute names of the core specification and the naming rule every attribute follows.</summary>
public static class CloudEventAttributes
{
    /// <summary><c>id</c>.</summary>
    public const string Id = "id";

    /// <summary><c>source</c>.</summary>
    public const string Source = "source";

    /// <summary><c>specversion</c>.</summary>
    public const string SpecVersion = "specversion";

    /// <summary><c>type</c>.</summary>
    public const string Type = "type";

    /// <summary><c>datacontenttype</c>.</summary>
    public const string DataContentType = "datacontenttype";

    /// <summary><c>dataschema</c>.</summary>
    public const string DataSchema = "dataschema";

    /// <summary><c>subject</c>.</summary>
    public const string Subject = "subject";

    /// <summary><c>time</c>.</summary>
    public const string Time = "time";

    /// <summary>The only specversion this gateway speaks.</summary>
    public const string SupportedSpecVersion = "1.0";

    /// <summary>True when <paramref name="name"/> is one of the eight core attributes.</summary>
    public static bool IsCore(string name) => name switch
    {
        Id or Source or SpecVersion or Type or DataContentType or DataSchema or Subject or Time => true,
        _ => false,
    };

    /// <summary>
    /// CE-02: lower-case ASCII letters and digits, at least one character, and never <c>data</c> (CE-02c).
    /// The 20-character limit is only a SHOULD (CE-02b, G26), so longer names are accepted.
    /// </summary>
    public static bool IsValidName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.SequenceEqual("data"))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9')))
            {
                return false;
            }
        }

        return true;
    }
}
