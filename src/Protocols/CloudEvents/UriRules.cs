namespace Gateway.Protocols.CloudEvents;

/// <summary>URI checks that do not depend on the platform (on Unix, <see cref="Uri"/> takes "/x" as a file path).</summary>
public static class UriRules
{
    /// <summary>True for an absolute URI (RFC 3986 §4.3): a scheme, a colon, and a parsable rest.</summary>
    public static bool IsAbsolute(string value) =>
        HasScheme(value) && Uri.TryCreate(value, UriKind.Absolute, out _);

    /// <summary>True when <paramref name="value"/> starts with <c>ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"</c>.</summary>
    public static bool HasScheme(string value)
    {
        if (value.Length < 2 || !char.IsAsciiLetter(value[0]))
        {
            return false;
        }

        for (var i = 1; i < value.Length; i++)
        {
            var c = value[i];
            if (c == ':')
            {
                return true;
            }

            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return false;
    }
}
