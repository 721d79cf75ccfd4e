using Gateway.Protocols.CloudEvents.Http;

namespace Gateway.Protocols.Tests;

/// <summary>The percent-encoding of <c>ce-</c> header values (HTTP-11, HTTP-12; NATS-05 shares it).</summary>
public sealed class HttpHeaderValueTests
{
    [Theory]
    [InlineData("Euro € 😀", "Euro%20%E2%82%AC%20%F0%9F%98%80")]
    [InlineData("a\"b%c", "a%22b%25c")]
    [InlineData("plain-value_1.0~!", "plain-value_1.0~!")]
    [InlineData("tab\there", "tab%09here")]
    [InlineData("\u007f", "%7F")]
    [InlineData(" ", "%20")]
    [InlineData("\"", "%22")]
    [InlineData("%", "%25")]
    [InlineData("\u00a0é", "%C2%A0%C3%A9")]
    public void HTTP_11_Encode(string value, string encoded)
    {
        Assert.Equal(encoded, HttpHeaderValue.Encode(value));
    }

    [Theory]
    [InlineData("Euro%20%E2%82%AC%20%F0%9F%98%80", "Euro € 😀")]
    [InlineData("euro%e2%82%ac", "euro€")]
    [InlineData("%41%42", "AB")]
    [InlineData("\"quoted \\\"value\\\"\"", "quoted \"value\"")]
    [InlineData("\"a%20b\"", "a b")]
    [InlineData("100%25", "100%")]
    [InlineData("with space", "with space")]
    [InlineData("%7e%41", "~A")]
    [InlineData("\"\"", "")]
    public void HTTP_12_Decode(string value, string decoded)
    {
        Assert.True(HttpHeaderValue.TryDecode(value, out var actual, out var error), error);
        Assert.Equal(decoded, actual);
    }

    [Theory]
    [InlineData("%C0%A0")]
    [InlineData("%FF")]
    [InlineData("%E2%82")]
    [InlineData("%G1")]
    [InlineData("abc%")]
    [InlineData("abc%4")]
    [InlineData("é")]
    public void HTTP_12_Reject(string value)
    {
        Assert.False(HttpHeaderValue.TryDecode(value, out _, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void HTTP_12_DecodesOneRoundOnly()
    {
        Assert.True(HttpHeaderValue.TryDecode("%2541", out var decoded, out _));

        Assert.Equal("%41", decoded);
    }

    [Fact]
    public void EncodeThenDecode_RoundTripsEveryCharacterClass()
    {
        var random = new Random(20261122);
        for (var i = 0; i < 500; i++)
        {
            var value = string.Concat(Enumerable.Range(0, random.Next(1, 20)).Select(_ => RandomText(random)));

            var encoded = HttpHeaderValue.Encode(value);

            // HTTP-11: only U+0021–U+007E remain, never a space or '"', and every '%' starts an upper-case escape.
            Assert.All(encoded, c => Assert.InRange(c, '\u0021', '\u007E'));
            Assert.DoesNotContain('"', encoded);
            Assert.Matches("^([^%]|%[0-9A-F]{2})*$", encoded);
            Assert.True(HttpHeaderValue.TryDecode(encoded, out var decoded, out _));
            Assert.Equal(value, decoded);
        }
    }

    private static string RandomText(Random random) => random.Next(4) switch
    {
        0 => ((char)random.Next(0x20, 0x7F)).ToString(),
        1 => ((char)random.Next(0xA0, 0x2FFF)).ToString(),
        2 => char.ConvertFromUtf32(random.Next(0x1F300, 0x1F64F)),
        _ => " %\"",
    };
}
