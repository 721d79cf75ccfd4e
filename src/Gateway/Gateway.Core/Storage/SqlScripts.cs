using System.Reflection;

namespace Gateway.Storage;

/// <summary>A store's SQL, kept in <c>.sql</c> files embedded in its assembly rather than in C# strings.</summary>
internal static class SqlScripts
{
    /// <summary>Every embedded <c>.sql</c> file of <paramref name="assembly"/>, in name order (<c>001-…</c>, <c>002-…</c>).</summary>
    public static IReadOnlyList<string> Load(Assembly assembly) =>
    [
        .. assembly.GetManifestResourceNames()
            .Where(name => name.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name => Read(assembly, name)),
    ];

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
