using System.Text;
using Gateway.Protocols.Abstractions;

namespace Gateway.Protocols.Tests.Sources;

/// <summary>Messages that are not CloudEvents become events with the source's defaults.</summary>
public sealed class MessageWrapperTests
{
    private static readonly DateTimeOffset Time = new(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    [Fact]
    public void Wrap_TakesTypeAndSourceFromTheDefaults_AndThePayloadUnchanged()
    {
        var wrapped = MessageWrapper.Wrap(
            SourceSpecs.Defaults, "orders-0-42", Encoding.UTF8.GetBytes("""{"n":1}"""), "application/json", Time, "key-7");

        Assert.Equal(("orders-0-42", "com.example.wrapped", "/tests/sources", "key-7"), (wrapped.Id, wrapped.Type, wrapped.Source, wrapped.Subject));
        Assert.Equal("application/json", wrapped.DataContentType);
        Assert.True(wrapped.Data.IsJson);
        Assert.Equal("""{"n":1}""", Encoding.UTF8.GetString(wrapped.Data.Bytes.Span));
    }

    [Fact]
    public void Wrap_WithASubjectNoAttributeMayCarry_LeavesTheSubjectOut_RatherThanFail()
    {
        // A Kafka key is any bytes; a control character in it must not block the partition for good.
        var wrapped = MessageWrapper.Wrap(SourceSpecs.Defaults, "orders-0-43", Encoding.UTF8.GetBytes("x"), null, Time, "order\n");

        Assert.Null(wrapped.Subject);
        Assert.Equal("orders-0-43", wrapped.Id);
    }

    [Fact]
    public void Check_NamesTheDefaultsThatMakeNoValidEvent()
    {
        var errors = MessageWrapper.Check(new SourceDefaults("a\u0001b", "/ok", null));

        Assert.Equal(["type"], errors.Select(e => e.Field));
        Assert.Empty(MessageWrapper.Check(SourceSpecs.Defaults));
    }
}
