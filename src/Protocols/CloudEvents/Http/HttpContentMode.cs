namespace Gateway.Protocols.CloudEvents.Http;

/// <summary>How an HTTP message carries CloudEvents (HTTP-05).</summary>
public enum HttpContentMode
{
    /// <summary>Attributes in <c>ce-</c> headers, data in the body.</summary>
    Binary,

    /// <summary>One event in an event format, in the body.</summary>
    Structured,

    /// <summary>A batch of events in an event format, in the body.</summary>
    Batch,
}
