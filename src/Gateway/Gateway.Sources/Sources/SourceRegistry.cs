using System.Collections.Frozen;
using Gateway.Protocols.Abstractions;

namespace Gateway.Sources;

/// <summary>The registered source bindings, by their <c>protocol</c> name.</summary>
internal sealed class SourceRegistry(IEnumerable<ISourceBinding> bindings)
{
    private readonly FrozenDictionary<string, ISourceBinding> _bindings =
        bindings.ToFrozenDictionary(b => b.Protocol, StringComparer.Ordinal);

    public IEnumerable<string> Names => _bindings.Keys.Order(StringComparer.Ordinal);

    public ISourceBinding? Find(string protocol) => _bindings.GetValueOrDefault(protocol);
}
