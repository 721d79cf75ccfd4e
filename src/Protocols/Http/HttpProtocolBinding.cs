using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Http;

/// <summary>The <c>HTTP</c> protocol: CloudEvents webhook delivery (§5) in binary or structured mode.</summary>
public sealed class HttpProtocolBinding : IProtocolBinding, IDisposable
{
    private readonly HttpDeliveryOptions _options;
    private readonly HttpClient _client;
    private readonly RefreshedTokens _tokens;

    /// <summary>Creates the binding and the one connection pool all HTTP senders (and token refreshes) share.</summary>
    public HttpProtocolBinding(HttpDeliveryOptions options)
    {
        _options = options;
        _client = SinkHttpClient.Create(options.Guard);
        _tokens = new RefreshedTokens(_client, TimeProvider.System, options.Timeout);
    }

    /// <inheritdoc/>
    public string Protocol => "HTTP";

    /// <inheritdoc/>
    public void ValidateAndComplete(SinkSpec spec, ICollection<ValidationError> errors)
    {
        SinkUrlRules.Validate(spec.Sink, _options, errors);
        HttpSinkSettings.ValidateAndComplete(spec.Settings, errors);
        if (spec.Credential is { CredentialType: SinkCredential.RefreshTokenType, RefreshTokenEndpoint: { } endpoint })
        {
            // The token endpoint is one more address the gateway connects to: the same rules as a sink.
            SinkUrlRules.Validate(endpoint, _options, errors, "sinkcredential.refreshtokenendpoint");
        }
    }

    /// <inheritdoc/>
    public IEventSender CreateSender(SinkSpec spec)
    {
        var settings = HttpSinkSettings.Read(spec.Settings);
        if (spec.Credential is not { CredentialType: SinkCredential.RefreshTokenType } credential)
        {
            return new HttpEventSender(_client, _options, new Uri(spec.Sink), settings, spec.Credential);
        }

        var token = _tokens.Rent(spec.SubscriptionId, credential);
        return new HttpEventSender(
            _client, _options, new Uri(spec.Sink), settings, credential, (token, () => _tokens.Return(spec.SubscriptionId, credential)));
    }

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();
}
