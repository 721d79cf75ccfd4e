using System.Xml;
using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Http;

/// <summary>
/// The <c>HTTP</c> source: a URL polled at an interval with <c>If-None-Match</c> and <c>If-Modified-Since</c>, an
/// event emitted when the resource changed (the seed's S3-style feed that polls ETags). The URL follows the
/// same rules as an HTTP sink's, and the same guard against private addresses applies at connect time.
/// </summary>
public sealed class HttpPollingSourceBinding : ISourceBinding, IDisposable
{
    /// <summary>Polled once a minute unless <c>protocolsettings.interval</c> says otherwise.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    // Task.Delay takes at most about 49 days; a day between polls is already more than a feed wants.
    private static readonly TimeSpan MaxInterval = TimeSpan.FromDays(1);

    private readonly HttpDeliveryOptions _options;
    private readonly HttpClient _client;

    /// <summary>Creates the binding and the HTTP client its sources share (the sinks' rules: guard, no redirects).</summary>
    public HttpPollingSourceBinding(HttpDeliveryOptions options)
    {
        _options = options;
        _client = SinkHttpClient.Create(options.Guard);

        // A polled resource becomes one event: no larger than ingress takes one by default (1 MiB, CE-07's 64 KiB and more).
        _client.MaxResponseContentBufferSize = 1024 * 1024;
    }

    /// <inheritdoc/>
    public string Protocol => "HTTP";

    /// <inheritdoc/>
    public bool RunsOnEveryNode => false;

    /// <inheritdoc/>
    public void ValidateAndComplete(SourceSpec spec, ICollection<ValidationError> errors)
    {
        SinkUrlRules.Validate(spec.Address, _options, errors, "address");
        foreach (var (name, _) in spec.Settings.Where(s => s.Key != "interval"))
        {
            errors.Add(new($"protocolsettings.{name}", "is not a setting of an HTTP polling source (interval)"));
        }

        if (ReadInterval(spec, errors) is { } interval)
        {
            spec.Settings["interval"] = XmlConvert.ToString(interval);
        }
    }

    /// <inheritdoc/>
    public IEventSource CreateSource(SourceSpec spec) =>
        new HttpPollingSource(_client, new Uri(spec.Address), ReadInterval(spec, [])!.Value, spec);

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();

    private static TimeSpan? ReadInterval(SourceSpec spec, ICollection<ValidationError> errors)
    {
        if (spec.Settings["interval"] is not { } node)
        {
            return DefaultInterval;
        }

        if (ProtocolSettings.Duration(node, MinInterval, MaxInterval) is { } interval)
        {
            return interval;
        }

        errors.Add(new("protocolsettings.interval", "must be an ISO-8601 duration from PT1S to P1D, e.g. PT30S"));
        return null;
    }
}
