using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.Http;

namespace Gateway.Protocols.OpenWhisk;

/// <summary>
/// The <c>OPENWHISK</c> protocol: fires an Apache OpenWhisk trigger with the event as its parameters. There is no
/// webhook handshake: OpenWhisk's API is not a CloudEvents webhook, and the namespace key is the consent.
/// </summary>
public sealed class OpenWhiskProtocolBinding : IProtocolBinding, IDisposable
{
    /// <summary><c>protocolsettings.payload</c>: <c>event</c> (default) or <c>data</c>.</summary>
    public const string PayloadSetting = "payload";

    private readonly HttpClient _client;

    /// <summary>Creates the binding with its own connection pool, under the HTTP sinks' SSRF policy.</summary>
    public OpenWhiskProtocolBinding(HttpDeliveryOptions options)
    {
        Options = options;
        _client = SinkHttpClient.Create(options.Guard);
    }

    /// <summary>The HTTP policy the trigger URLs follow.</summary>
    public HttpDeliveryOptions Options { get; }

    /// <inheritdoc/>
    public string Protocol => "OPENWHISK";

    /// <summary>The client the feed provider uses to check keys against OpenWhisk.</summary>
    public HttpClient Client => _client;

    /// <inheritdoc/>
    public void ValidateAndComplete(SinkSpec spec, ICollection<ValidationError> errors)
    {
        if (SinkUrlRules.Validate(spec.Sink, Options, errors) is { } url && OpenWhiskTrigger.FromUrl(url) is null)
        {
            errors.Add(new("sink", "must be a trigger URL: {apihost}/api/v1/namespaces/{namespace}/triggers/{name}"));
        }

        if (spec.Credential is not { CredentialType: SinkCredential.Plain, Identifier.Length: > 0, Secret.Length: > 0 })
        {
            errors.Add(new("sinkcredential", "OPENWHISK sinks need a PLAIN credential: identifier = the key's uuid, secret = the key"));
        }

        foreach (var (name, _) in spec.Settings)
        {
            if (name != PayloadSetting)
            {
                errors.Add(new($"protocolsettings.{name}", "OPENWHISK sinks take only 'payload'"));
            }
        }

        if (spec.Settings[PayloadSetting] is { } payload
            && (payload.GetValueKind() != JsonValueKind.String || payload.GetValue<string>() is not ("event" or "data")))
        {
            errors.Add(new("protocolsettings.payload", "must be 'event' (the whole event, the default) or 'data' (only its data)"));
        }

        spec.Settings[PayloadSetting] ??= "event";
    }

    /// <inheritdoc/>
    public IEventSender CreateSender(SinkSpec spec) =>
        new OpenWhiskEventSender(_client, new Uri(spec.Sink), spec.Credential!, spec.Settings[PayloadSetting]?.GetValue<string>() == "data");

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();
}
