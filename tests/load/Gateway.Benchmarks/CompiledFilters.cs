using System.Text.Json;
using Gateway.Filters;
using Gateway.Filters.Cesql;

namespace Gateway.Benchmarks;

/// <summary>Compiles filters the way the gateway does: the six required dialects and CESQL.</summary>
internal static class CompiledFilters
{
    private static readonly FilterCompiler Compiler = new([.. FilterCompiler.RequiredDialects, new CesqlDialect()]);

    public static IEventFilter Compile(string filtersJson)
    {
        using var document = JsonDocument.Parse(filtersJson);
        return Compiler.CompileFilters(document.RootElement, "filters", [])!;
    }
}
