using System.Globalization;

namespace Gateway.Load;

/// <summary>
/// How long and how hard to drive each target, which gateway phases to measure, and the API key every request
/// carries when the gateway runs with authentication (<c>--auth keys</c>).
/// </summary>
internal sealed record LoadOptions(
    int DurationSeconds, int Connections, int Runs, int Subscriptions, int BatchSize, IReadOnlySet<string> Phases, string? ApiKey = null)
{
    public const string Ingress = "ingress";
    public const string Batch = "batch";
    public const string EndToEnd = "e2e";

    private static readonly string[] AllPhases = [Ingress, Batch, EndToEnd];

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions(10, 32, 3, 100, 10, new HashSet<string>(AllPhases, StringComparer.Ordinal));
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            options = args[i] switch
            {
                "--duration" => options with { DurationSeconds = Positive(value) },
                "--connections" => options with { Connections = Positive(value) },
                "--runs" => options with { Runs = Positive(value) },
                "--subscriptions" => options with { Subscriptions = int.Parse(value, CultureInfo.InvariantCulture) },
                "--batch" => options with { BatchSize = Positive(value) },
                "--phases" => options with { Phases = ParsePhases(value) },
                "--auth" => options with { ApiKey = ParseAuth(value) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        if (args.Length % 2 != 0)
        {
            throw new ArgumentException($"option {args[^1]} has no value");
        }

        return options;
    }

    public bool Has(string phase) => Phases.Contains(phase);

    private static int Positive(string value)
    {
        var number = int.Parse(value, CultureInfo.InvariantCulture);
        return number > 0 ? number : throw new ArgumentException($"{value} must be positive");
    }

    /// <summary><c>keys</c>: a fresh key, configured as the gateway's only one; <c>off</c>: the zero-setup gateway.</summary>
    private static string? ParseAuth(string value) => value switch
    {
        "keys" => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)),
        "off" => null,
        _ => throw new ArgumentException($"--auth is keys or off, not {value}"),
    };

    private static HashSet<string> ParsePhases(string value)
    {
        var phases = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = phases.Except(AllPhases).ToList();
        return unknown.Count == 0
            ? phases
            : throw new ArgumentException($"unknown phase {string.Join(',', unknown)}; the phases are {string.Join(',', AllPhases)}");
    }
}
