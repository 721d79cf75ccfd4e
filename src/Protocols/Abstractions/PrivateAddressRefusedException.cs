namespace Gateway.Protocols.Abstractions;

/// <summary>A sink, dead-letter or source address that resolves to a loopback or private address the guard refuses.</summary>
public sealed class PrivateAddressRefusedException(string host, string address)
    : Exception($"'{host}' resolves to {address}, a loopback or private address, and Gateway:Delivery:AllowPrivateSinks is off");
