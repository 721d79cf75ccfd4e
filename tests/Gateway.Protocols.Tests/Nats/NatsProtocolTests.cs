using System.Buffers;
using System.Text;
using Gateway.Protocols.Nats;

namespace Gateway.Protocols.Tests.Nats;

/// <summary>The NATS protocol writer and parser, without a network: exact bytes, split frames, hostile input.</summary>
public sealed class NatsProtocolTests
{
    private static string Written(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Publish_WithoutHeaders_IsPub()
    {
        Assert.Equal("PUB orders 5\r\nhello\r\n", Written(w => NatsProtocolWriter.WritePublish(w, "orders", null, null, "hello"u8)));
    }

    [Fact]
    public void Publish_WithReplyAndHeaders_IsHpubWithBothLengths()
    {
        var headers = new NatsHeaders().Add("ce-id", "1");

        var written = Written(w => NatsProtocolWriter.WritePublish(w, "orders", "_INBOX.x.1", headers, "hi"u8));

        // "NATS/1.0\r\n" (10) + "ce-id: 1\r\n" (10) + "\r\n" (2) = 22 header bytes, 24 in all.
        Assert.Equal("HPUB orders _INBOX.x.1 22 24\r\nNATS/1.0\r\nce-id: 1\r\n\r\nhi\r\n", written);
    }

    [Fact]
    public void Subscribe_Unsubscribe_Ping_Pong()
    {
        Assert.Equal("SUB a.b q 7\r\n", Written(w => NatsProtocolWriter.WriteSubscribe(w, "a.b", "q", 7)));
        Assert.Equal("SUB a.* 8\r\n", Written(w => NatsProtocolWriter.WriteSubscribe(w, "a.*", null, 8)));
        Assert.Equal("UNSUB 7\r\n", Written(w => NatsProtocolWriter.WriteUnsubscribe(w, 7)));
        Assert.Equal("PING\r\nPONG\r\n", Written(w =>
        {
            NatsProtocolWriter.WritePing(w);
            NatsProtocolWriter.WritePong(w);
        }));
    }

    [Fact]
    public void Parser_ReadsEveryServerOperation()
    {
        var ops = ParseAll("INFO {\"max_payload\":1048576}\r\nPING\r\nPONG\r\n+OK\r\n-ERR 'Unknown Protocol Operation'\r\n"
            + "MSG orders 3 5\r\nhello\r\nMSG orders 3 reply.to 2\r\nhi\r\n"
            + "HMSG orders 4 22 24\r\nNATS/1.0\r\nce-id: 1\r\n\r\nhi\r\nHMSG _INBOX.a.1 0 16 16\r\nNATS/1.0 503\r\n\r\n\r\n");

        Assert.Equal([NatsOpKind.Info, NatsOpKind.Ping, NatsOpKind.Pong, NatsOpKind.Ok, NatsOpKind.Err, NatsOpKind.Msg, NatsOpKind.Msg, NatsOpKind.Msg, NatsOpKind.Msg],
            ops.Select(o => o.Kind));
        Assert.Equal("Unknown Protocol Operation", ops[4].Text);
        Assert.Equal("hello", Encoding.UTF8.GetString(ops[5].Message!.Payload));
        Assert.Equal("reply.to", ops[6].Message!.ReplyTo);
        Assert.Equal("1", ops[7].Message!.Headers!["CE-ID"]);
        Assert.Equal("hi", Encoding.UTF8.GetString(ops[7].Message!.Payload));
        Assert.Equal(503, ops[8].Message!.Headers!.Status);
        Assert.Empty(ops[8].Message!.Payload);
    }

    [Fact]
    public void Parser_HandlesFramesSplitAtEveryByte()
    {
        var wire = Encoding.UTF8.GetBytes("MSG a 1 5\r\nhe\r\no\r\nHMSG b 2 12 14\r\nNATS/1.0\r\n\r\nok\r\nPING\r\n");

        for (var split = 1; split < wire.Length; split++)
        {
            var ops = ParseSegmented(wire, split);

            Assert.Equal(3, ops.Count);
            Assert.Equal("he\r\no", Encoding.UTF8.GetString(ops[0].Message!.Payload));
            Assert.Equal("ok", Encoding.UTF8.GetString(ops[1].Message!.Payload));
            Assert.Equal(NatsOpKind.Ping, ops[2].Kind);
        }
    }

    [Fact]
    public void Parser_WaitsForTheWholePayload_WithoutConsuming()
    {
        var parser = new NatsProtocolParser(1024);
        var buffer = new ReadOnlySequence<byte>("MSG a 1 10\r\nshort"u8.ToArray());

        Assert.False(parser.TryRead(ref buffer, out _));
        Assert.Equal(17, buffer.Length);
    }

    [Theory]
    [InlineData("MSG a 1 999999\r\n")]
    [InlineData("MSG a 1 -5\r\n")]
    [InlineData("MSG a 1 abc\r\n")]
    [InlineData("MSG a\r\n")]
    [InlineData("HMSG a 1 20 10\r\n")]
    [InlineData("MSG a 1 2\r\nabXY")]
    [InlineData("BOGUS\r\n")]
    [InlineData("HMSG a 1 5 5\r\nHTTP/\r\n")]
    public void Parser_RejectsHostileInput(string wire)
    {
        var parser = new NatsProtocolParser(1024);
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(wire));

        Assert.Throws<NatsProtocolException>(() => parser.TryRead(ref buffer, out _));
    }

    [Fact]
    public void Parser_RejectsAnEndlessControlLine()
    {
        var parser = new NatsProtocolParser(1024);
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("INFO " + new string('x', NatsProtocolParser.MaxControlLine + 10)));

        Assert.Throws<NatsProtocolException>(() => parser.TryRead(ref buffer, out _));
    }

    [Fact]
    public void Headers_RejectNamesAndValuesThatWouldBreakTheFrame()
    {
        Assert.Throws<ArgumentException>(() => new NatsHeaders().Add("bad name", "v"));
        Assert.Throws<ArgumentException>(() => new NatsHeaders().Add("ok", "line\r\nbreak"));
    }

    private static List<NatsServerOp> ParseAll(string wire) => ParseSegmented(Encoding.UTF8.GetBytes(wire), int.MaxValue);

    /// <summary>Feeds the bytes as a pipe would: growing, in segments of <paramref name="split"/> bytes.</summary>
    private static List<NatsServerOp> ParseSegmented(byte[] wire, int split)
    {
        var parser = new NatsProtocolParser(1024);
        var ops = new List<NatsServerOp>();
        var pending = new List<byte>();
        for (var offset = 0; offset < wire.Length; offset += split)
        {
            pending.AddRange(wire.Skip(offset).Take(split));
            var buffer = Segmented([.. pending], Math.Max(1, split / 2));
            while (parser.TryRead(ref buffer, out var op))
            {
                ops.Add(op);
            }

            pending = [.. buffer.ToArray()];
        }

        Assert.Empty(pending);
        return ops;
    }

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int segmentSize)
    {
        if (bytes.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(bytes.AsMemory(0, Math.Min(segmentSize, bytes.Length)), 0);
        var last = first;
        for (var offset = segmentSize; offset < bytes.Length; offset += segmentSize)
        {
            last = last.Append(bytes.AsMemory(offset, Math.Min(segmentSize, bytes.Length - offset)));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
