namespace Gateway.Protocols.Http;

/// <summary>The <c>Retry-After</c> of an HTTP answer, as delta-seconds or an HTTP-date (WH-06, RFC 7231 §7.1.3).</summary>
public static class RetryAfter
{
    /// <summary>The earliest time to try again, or null when the answer names none.</summary>
    public static DateTimeOffset? Of(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => DateTimeOffset.UtcNow + delta,
        { Date: { } date } => date,
        _ => null,
    };
}
