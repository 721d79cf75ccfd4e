using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Http;

/// <summary>The <c>HTTP</c> protocol: CloudEvents webhook delivery (§5) in binary or structured mode.</summary>
public sealed class HttpProtocolBinding : IProtocolBinding, IDisposable
{
    private readonly HttpDeliveryOptions _options;
    private readonly HttpClient _client;

    /// <summary>Creates the binding and the one connection pool all HTTP senders share.</summary>
    public HttpProtocolBinding(HttpDeliveryOptions options)
    {
        _options = options;
        _client = SinkHttpClient.Create(options.AllowPrivateSinks);
    }

    /// <inheritdoc/>
    public string Protocol => "HTTP";

    /// <inheritdoc/>
    public void ValidateAndComplete(SinkSpec spec, ICollection<ValidationError> errors)
    {
        SinkUrlRules.Validate(spec.Sink, _options, errors);
        HttpSinkSettings.ValidateAndComplete(spec.Settings, errors);
    }

    /// <inheritdoc/>
    public IEventSender CreateSender(SinkSpec spec) =>
        new HttpEventSender(_client, _options, new Uri(spec.Sink), HttpSinkSettings.Read(spec.Settings), spec.Credential);

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();
}
