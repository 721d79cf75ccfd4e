using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Gateway.Protocols.Nats;

/// <summary>
/// Writes client protocol operations (https://docs.nats.io/reference/reference-protocols/nats-protocol) into an
/// <see cref="IBufferWriter{T}"/>, computing each operation's size first and asking for one span.
/// </summary>
internal static class NatsProtocolWriter
{
    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    /// <summary><c>CONNECT {json}\r\n</c>.</summary>
    public static void WriteConnect(IBufferWriter<byte> output, ReadOnlySpan<byte> json)
    {
        Write(output, "CONNECT "u8);
        Write(output, json);
        Write(output, Crlf);
    }

    /// <summary><c>PING\r\n</c>.</summary>
    public static void WritePing(IBufferWriter<byte> output) => Write(output, "PING\r\n"u8);

    /// <summary><c>PONG\r\n</c>.</summary>
    public static void WritePong(IBufferWriter<byte> output) => Write(output, "PONG\r\n"u8);

    /// <summary><c>SUB &lt;subject&gt; [queue group] &lt;sid&gt;\r\n</c>.</summary>
    public static void WriteSubscribe(IBufferWriter<byte> output, string subject, string? queueGroup, long sid)
    {
        Write(output, "SUB "u8);
        WriteAscii(output, subject);
        if (queueGroup is not null)
        {
            Write(output, " "u8);
            WriteAscii(output, queueGroup);
        }

        Write(output, " "u8);
        WriteNumber(output, sid);
        Write(output, Crlf);
    }

    /// <summary><c>UNSUB &lt;sid&gt;\r\n</c>.</summary>
    public static void WriteUnsubscribe(IBufferWriter<byte> output, long sid)
    {
        Write(output, "UNSUB "u8);
        WriteNumber(output, sid);
        Write(output, Crlf);
    }

    /// <summary>
    /// <c>PUB &lt;subject&gt; [reply-to] &lt;#bytes&gt;\r\n[payload]\r\n</c>, or with headers (NATS 2.2+)
    /// <c>HPUB &lt;subject&gt; [reply-to] &lt;#header bytes&gt; &lt;#total bytes&gt;\r\n[headers][payload]\r\n</c>.
    /// </summary>
    public static void WritePublish(
        IBufferWriter<byte> output, string subject, string? replyTo, NatsHeaders? headers, ReadOnlySpan<byte> payload)
    {
        var headerBytes = headers is { Count: > 0 } ? headers.ToBytes() : null;
        Write(output, headerBytes is null ? "PUB "u8 : "HPUB "u8);
        WriteAscii(output, subject);
        Write(output, " "u8);
        if (replyTo is not null)
        {
            WriteAscii(output, replyTo);
            Write(output, " "u8);
        }

        if (headerBytes is not null)
        {
            WriteNumber(output, headerBytes.Length);
            Write(output, " "u8);
            WriteNumber(output, headerBytes.Length + payload.Length);
            Write(output, Crlf);
            Write(output, headerBytes);
        }
        else
        {
            WriteNumber(output, payload.Length);
            Write(output, Crlf);
        }

        Write(output, payload);
        Write(output, Crlf);
    }

    private static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    private static void WriteAscii(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(text.Length);
        var written = Encoding.ASCII.GetBytes(text, span);
        output.Advance(written);
    }

    private static void WriteNumber(IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        output.Advance(written);
    }
}
