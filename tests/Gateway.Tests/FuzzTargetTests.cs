using Gateway.Fuzz;
using Gateway.Testing;

namespace Gateway.Tests;

/// <summary>
/// The fuzz harness's targets in the suite, bounded: each seed of the corpus, then seeded
/// mutations of it. A target that throws anything but its documented refusal fails here with the input that did it;
/// compose/fuzz.sh searches much further with afl-fuzz.
/// </summary>
public sealed class FuzzTargetTests
{
    // FUZZ_CASES=100000 searches deeper locally; the default keeps the suite's run to a second or two.
    private static readonly int MutationsPerSeed =
        int.TryParse(Environment.GetEnvironmentVariable("FUZZ_CASES"), out var cases) && cases > 0 ? cases : 2000;

    public static TheoryData<string> Targets => [.. FuzzTargets.All.Keys.Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Target_TakesItsSeedsAndTheirMutations_WithoutAnUndocumentedException(string name)
    {
        var target = FuzzTargets.All[name];
        var seeds = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "corpus", name)).Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(seeds);
        var mutator = new ByteMutator(seed: name.Length);
        var cases = 0;
        foreach (var seed in seeds)
        {
            var bytes = File.ReadAllBytes(seed);
            foreach (var input in new[] { bytes }.Concat(Enumerable.Range(0, MutationsPerSeed).Select(_ => mutator.Mutate(bytes))))
            {
                var exception = Record.Exception(() => target(input));
                Assert.True(exception is null, $"{name}, case {cases} ({Path.GetFileName(seed)}): {exception}\ninput (base64): {Convert.ToBase64String(input)}");
                cases++;
            }
        }
    }
}
