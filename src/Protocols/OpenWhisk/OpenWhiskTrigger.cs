using System.Text.RegularExpressions;

namespace Gateway.Protocols.OpenWhisk;

/// <summary>
/// A trigger's fire URL, <c>{apihost}/api/v1/namespaces/{namespace|_}/triggers/{name}</c> (spec/openwhisk.md), taken
/// apart and put together.
/// </summary>
public sealed partial record OpenWhiskTrigger(Uri ApiHost, string Namespace, string Name)
{
    /// <summary>The fire URL (POST) and trigger document URL (GET): the same path.</summary>
    public Uri Url => new(ApiHost, $"api/v1/namespaces/{Uri.EscapeDataString(Namespace)}/triggers/{Uri.EscapeDataString(Name)}");

    /// <summary>Reads a fire URL; null when the path is not a trigger's.</summary>
    public static OpenWhiskTrigger? FromUrl(Uri url)
    {
        var match = TriggerPath().Match(url.AbsolutePath);
        return match.Success
            ? new(new Uri(url.GetLeftPart(UriPartial.Authority) + "/"), Uri.UnescapeDataString(match.Groups[1].Value), Uri.UnescapeDataString(match.Groups[2].Value))
            : null;
    }

    /// <summary>
    /// From a feed call: <c>triggerName</c> <c>/namespace/name</c> and the API host (<c>__OW_API_HOST</c>, with or
    /// without a scheme; https when none is given).
    /// </summary>
    public static OpenWhiskTrigger? FromFeed(string? triggerName, string? apiHost)
    {
        var parts = triggerName?.Trim('/').Split('/');
        if (parts is not { Length: 2 } || parts.Any(p => p.Length == 0) || string.IsNullOrWhiteSpace(apiHost))
        {
            return null;
        }

        var host = apiHost.Contains("://", StringComparison.Ordinal) ? apiHost : "https://" + apiHost;
        return Uri.TryCreate(host.TrimEnd('/') + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? new OpenWhiskTrigger(uri, parts[0], parts[1])
            : null;
    }

    [GeneratedRegex("^/api/v1/namespaces/([^/]+)/triggers/([^/]+)$")]
    private static partial Regex TriggerPath();
}
