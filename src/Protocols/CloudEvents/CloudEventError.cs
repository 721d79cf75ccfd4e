namespace Gateway.Protocols.CloudEvents;

/// <summary>One rule an input broke: the field (attribute, header or JSON member path) and what is wrong.</summary>
public sealed record CloudEventError(string Field, string Message);

/// <summary>Thrown by the format readers and bindings when input is not a valid CloudEvent; lists every error found.</summary>
public sealed class CloudEventFormatException : Exception
{
    /// <summary>Creates the exception from the errors found (at least one).</summary>
    public CloudEventFormatException(IReadOnlyList<CloudEventError> errors)
        : base(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception for a single error.</summary>
    public CloudEventFormatException(string field, string message)
        : this([new CloudEventError(field, message)])
    {
    }

    /// <summary>Every error found, in input order.</summary>
    public IReadOnlyList<CloudEventError> Errors { get; }
}
