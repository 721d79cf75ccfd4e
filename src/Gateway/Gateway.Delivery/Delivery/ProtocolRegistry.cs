using System.Collections.Frozen;
using Gateway.Protocols.Abstractions;

namespace Gateway.Delivery;

/// <summary>The registered protocol bindings, by their Subscriptions API name.</summary>
internal sealed class ProtocolRegistry(IEnumerable<IProtocolBinding> bindings)
{
    private readonly FrozenDictionary<string, IProtocolBinding> _bindings =
        bindings.ToFrozenDictionary(b => b.Protocol, StringComparer.Ordinal);

    /// <summary>Every protocol with a sender, as the Subscriptions API names them.</summary>
    public IEnumerable<string> Names => _bindings.Keys.Order(StringComparer.Ordinal);

    /// <summary>The binding for <paramref name="protocol"/> (case-sensitive, SUB-16), or null.</summary>
    public IProtocolBinding? Find(string protocol) => _bindings.GetValueOrDefault(protocol);
}
