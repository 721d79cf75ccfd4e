namespace Gateway.Protocols.Nats;

/// <summary>
/// The naming rules of NATS (https://docs.nats.io/nats-concepts/subjects): subjects are tokens separated by dots,
/// <c>*</c> stands for one token and a last <c>&gt;</c> for the rest; a queue group is one token; stream and consumer
/// names are one token without path separators either (they name files on the server).
/// </summary>
internal static class NatsSubjects
{
    public static bool IsValidFilter(string subject)
    {
        var tokens = subject.Split('.');
        for (var i = 0; i < tokens.Length; i++)
        {
            var wildcard = tokens[i] == "*" || (tokens[i] == ">" && i == tokens.Length - 1);
            if (!wildcard && !IsValidToken(tokens[i]))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsValidToken(string token) =>
        token.Length > 0 && !token.Any(c => char.IsWhiteSpace(c) || c is '.' or '*' or '>');

    public static bool IsValidName(string name) => IsValidToken(name) && !name.Any(c => c is '/' or '\\');
}
