namespace Gateway.Protocols.Nats;

/// <summary>NATS.Net's errors in words for a status: its outer message names the server, the inner ones the cause.</summary>
internal static class NatsErrors
{
    /// <summary>Every message of the chain, outermost first (e.g. "can not start to connect …: Authorization Violation").</summary>
    public static string Describe(Exception exception)
    {
        var messages = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (!messages.Exists(m => m.Contains(current.Message, StringComparison.Ordinal)))
            {
                messages.Add(current.Message);
            }
        }

        return string.Join(": ", messages);
    }
}
