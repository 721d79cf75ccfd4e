using System.Text;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Json;

namespace Gateway.Protocols.Tests;

/// <summary>JSON text whose strings cannot be read is refused before anything reads them.</summary>
public sealed class JsonTextTests
{
    public static TheoryData<byte[]> Unreadable => new()
    {
        { [.. "{\"id\":\""u8, 0xFF, .. "\"}"u8] },
        { [.. "{\"id\":\""u8, 0xC0, 0x80, .. "\"}"u8] },
        { [.. "{\""u8, 0xED, 0xA0, 0x80, .. "\":1}"u8] },
        { Encoding.ASCII.GetBytes("""{"id":"a\ud800"}""") },
        { Encoding.ASCII.GetBytes("""{"a\udc00b":1}""") },
        { Encoding.ASCII.GetBytes("""[{"data":{"deep":["\ud83d"]}}]""") },
    };

    public static TheoryData<string> Readable => new()
    {
        """{"id":"plain"}""",
        """{"id":"\ud83d\ude00 and \u00e9","data":"é✓"}""",
        """{"unfinished":"\ud800""",
        """{"id":"\u0041"}""",
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void FindFault_NamesTextThatNoStringCanHold(byte[] json) =>
        Assert.NotNull(JsonText.FindFault(json));

    [Theory]
    [MemberData(nameof(Readable))]
    public void FindFault_PassesEveryReadableText(string json) =>
        Assert.Null(JsonText.FindFault(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void JsonFormat_RefusesUnreadableText_AsAFormatError(byte[] json)
    {
        var error = Assert.Throws<CloudEventFormatException>(() => JsonEventFormat.Parse(json));

        Assert.Equal("$", Assert.Single(error.Errors).Field);
    }
}
