using System.Text;

namespace Gateway.Testing;

/// <summary>
/// Mutates a valid input the way a fuzzer's havoc stage does: bit flips, bytes that are not UTF-8, JSON tokens in the
/// wrong place, cut and repeated ranges. Seeded, so a failure names the seed and case that reproduce it.
/// </summary>
public sealed class ByteMutator(int seed)
{
    // Bytes and tokens that have broken parsers before: stray and overlong UTF-8, a lone surrogate (escaped and
    // encoded), NUL, huge and negative numbers, unbalanced brackets, deep nesting.
    private static readonly byte[][] Tokens =
    [
        [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0x00], [0x80],
        .. new[]
        {
            "\"", "{", "}", "[", "]", ",", ":", "\\", "\\u", "\\ud800", "null", "true", "-0", "1e999999",
            "-99999999999999999999999", "\"\":\"\"", new string('[', 300), new string('{', 3) + "\"a\":",
            "\"time\":\"9999-99-99T99:99:99Z\"", "\"specversion\":\"1.0\"", "\"data_base64\":\"%%%\"", "'",
            "\"filters\":[{\"sql\":\"(((\"}]", "\"filters\":[{\"not\":{}}]", "P99999999999999DT1S",
        }.Select(Encoding.UTF8.GetBytes),
    ];

    private readonly Random _random = new(seed);

    /// <summary>A number below <paramref name="maxValue"/> from the same seeded sequence.</summary>
    public int Next(int maxValue) => _random.Next(maxValue);

    public byte[] Mutate(byte[] input)
    {
        var bytes = new List<byte>(input);
        var rounds = 1 + _random.Next(4);
        for (var round = 0; round < rounds; round++)
        {
            MutateOnce(bytes);
        }

        return [.. bytes];
    }

    private void MutateOnce(List<byte> bytes)
    {
        var at = bytes.Count == 0 ? 0 : _random.Next(bytes.Count);
        switch (_random.Next(6))
        {
            case 0 when bytes.Count > 0:
                bytes[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1:
                bytes.InsertRange(at, Tokens[_random.Next(Tokens.Length)]);
                break;
            case 2 when bytes.Count > 0:
                bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + _random.Next(16)));
                break;
            case 3 when bytes.Count > 0:
                bytes.InsertRange(_random.Next(bytes.Count), bytes.GetRange(at, Math.Min(bytes.Count - at, 1 + _random.Next(32))));
                break;
            case 4 when bytes.Count > 0:
                bytes[at] = (byte)_random.Next(256);
                break;
            default:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
        }
    }

    /// <summary>A mutated header value; HTTP carries only visible ASCII and spaces there, so the bytes stay in it.</summary>
    public string MutateHeader(string value)
    {
        var mutated = Mutate(Encoding.ASCII.GetBytes(value));
        return new string([.. mutated.Select(b => b is >= 0x20 and < 0x7F ? (char)b : '%')]);
    }
}
