using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Gateway.Protocols.Nats;

/// <summary>The server operations a client reads.</summary>
internal enum NatsOpKind
{
    Info,
    Msg,
    Ping,
    Pong,
    Ok,
    Err,
}

/// <summary>A message delivered to a subscription (<c>MSG</c> or <c>HMSG</c>).</summary>
public sealed record NatsMessage(string Subject, long Sid, string? ReplyTo, NatsHeaders? Headers, byte[] Payload);

/// <summary>One server operation: INFO and -ERR carry text, MSG/HMSG a message.</summary>
internal readonly record struct NatsServerOp(NatsOpKind Kind, string? Text = null, NatsMessage? Message = null);

/// <summary>
/// Parses server operations from a <see cref="ReadOnlySequence{T}"/>, frames split across segments included. Every
/// length read from the wire is checked against a cap before anything waits for or allocates it.
/// </summary>
internal sealed class NatsProtocolParser(int maxPayload)
{
    /// <summary>The longest control line accepted (the server's own default max_control_line is 4096).</summary>
    public const int MaxControlLine = 4096;

    /// <summary>
    /// Reads one operation. Returns false when <paramref name="buffer"/> does not yet hold a whole one; then nothing is
    /// consumed. On success, <paramref name="buffer"/> is advanced past the operation.
    /// </summary>
    public bool TryRead(ref ReadOnlySequence<byte> buffer, out NatsServerOp op)
    {
        op = default;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> lineSequence, "\r\n"u8))
        {
            if (buffer.Length > MaxControlLine)
            {
                throw new NatsProtocolException($"a control line longer than {MaxControlLine} bytes");
            }

            return false;
        }

        if (lineSequence.Length > MaxControlLine)
        {
            throw new NatsProtocolException($"a control line longer than {MaxControlLine} bytes");
        }

        var line = Encoding.ASCII.GetString(lineSequence);
        var space = line.IndexOfAny([' ', '\t']);
        var name = (space < 0 ? line : line[..space]).ToUpperInvariant();
        var args = space < 0 ? string.Empty : line[(space + 1)..].Trim();
        switch (name)
        {
            case "PING":
                op = new NatsServerOp(NatsOpKind.Ping);
                break;
            case "PONG":
                op = new NatsServerOp(NatsOpKind.Pong);
                break;
            case "+OK":
                op = new NatsServerOp(NatsOpKind.Ok);
                break;
            case "-ERR":
                op = new NatsServerOp(NatsOpKind.Err, args.Trim('\''));
                break;
            case "INFO":
                op = new NatsServerOp(NatsOpKind.Info, args);
                break;
            case "MSG" or "HMSG":
                if (!TryReadMessage(ref reader, name == "HMSG", args, out var message))
                {
                    return false;
                }

                op = new NatsServerOp(NatsOpKind.Msg, Message: message);
                break;
            default:
                throw new NatsProtocolException($"unknown operation '{Truncate(name)}'");
        }

        buffer = buffer.Slice(reader.Position);
        return true;
    }

    /// <summary>
    /// <c>MSG &lt;subject&gt; &lt;sid&gt; [reply-to] &lt;#bytes&gt;</c> or
    /// <c>HMSG &lt;subject&gt; &lt;sid&gt; [reply-to] &lt;#header bytes&gt; &lt;#total bytes&gt;</c>, then the bytes and CRLF.
    /// </summary>
    private bool TryReadMessage(ref SequenceReader<byte> reader, bool withHeaders, string args, out NatsMessage? message)
    {
        message = null;
        var parts = args.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var fixedCount = withHeaders ? 4 : 3;
        if (parts.Length != fixedCount && parts.Length != fixedCount + 1)
        {
            throw new NatsProtocolException($"malformed {(withHeaders ? "HMSG" : "MSG")} arguments");
        }

        var replyTo = parts.Length == fixedCount + 1 ? parts[2] : null;
        var total = Length(parts[^1]);
        var headerLength = withHeaders ? Length(parts[^2]) : 0;
        if (headerLength > total)
        {
            throw new NatsProtocolException("the header length exceeds the total length");
        }

        if (!long.TryParse(parts[1], out var sid))
        {
            throw new NatsProtocolException("the subscription id is not a number");
        }

        if (reader.Remaining < total + 2)
        {
            return false;
        }

        var body = reader.UnreadSequence.Slice(0, total);
        reader.Advance(total);
        if (!reader.IsNext("\r\n"u8, advancePast: true))
        {
            throw new NatsProtocolException("a message does not end with CRLF where its length says");
        }

        var headers = withHeaders ? NatsHeaders.Parse(body.Slice(0, headerLength).ToArray()) : null;
        message = new NatsMessage(parts[0], sid, replyTo, headers, body.Slice(headerLength).ToArray());
        return true;
    }

    private int Length(string text)
    {
        if (!Utf8Parser.TryParse(Encoding.ASCII.GetBytes(text), out int length, out var consumed) || consumed != text.Length || length < 0)
        {
            throw new NatsProtocolException($"'{Truncate(text)}' is not a length");
        }

        if (length > maxPayload)
        {
            throw new NatsProtocolException($"a message of {length} bytes is larger than the {maxPayload} accepted");
        }

        return length;
    }

    private static string Truncate(string text) => text.Length <= 32 ? text : text[..32];
}
