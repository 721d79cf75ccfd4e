namespace Gateway.Protocols.Http;

/// <summary>Thrown by the connect step when a sink resolves only to addresses the SSRF guard refuses.</summary>
internal sealed class SinkAddressRefusedException(string host)
    : Exception($"the sink host '{host}' resolves to a loopback or private address, and Gateway:Delivery:AllowPrivateSinks is off");
