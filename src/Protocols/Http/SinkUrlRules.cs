using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Http;

/// <summary>The checks every HTTP-based sink URL passes at create/update: scheme, HTTPS policy, literal addresses.</summary>
public static class SinkUrlRules
{
    /// <summary>
    /// The sink (or, for a polling source, the URL to poll, named by <paramref name="field"/>) as a URI, or null after
    /// adding the errors. Resolved names are checked at connect time.
    /// </summary>
    public static Uri? Validate(string sink, HttpDeliveryOptions options, ICollection<ValidationError> errors, string field = "sink")
    {
        if (!Uri.TryCreate(sink, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || string.IsNullOrEmpty(uri.Host))
        {
            errors.Add(new(field, "must be an absolute http:// or https:// URL (SUB-14)"));
            return null;
        }

        if (options.RequireHttps && uri.Scheme == "http")
        {
            errors.Add(new(field, "plain http:// sinks are refused because Gateway:Delivery:RequireHttps is on (WH-01)"));
            return null;
        }

        // The same guard every protocol uses; names are checked where the connection is made (SinkHttpClient).
        if (options.Guard.RefuseLiteral(uri.Host) is { } refused)
        {
            errors.Add(new(field, refused));
            return null;
        }

        return uri;
    }
}
