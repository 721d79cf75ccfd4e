using System.Globalization;

namespace Gateway.Protocols.Nats;

/// <summary>
/// What the reply subject of a message a JetStream consumer delivers tells: the stream, the stream sequence (stable
/// across redeliveries) and how many messages are still pending for the consumer. Version 1 is
/// <c>$JS.ACK.&lt;stream&gt;.&lt;consumer&gt;.&lt;delivered&gt;.&lt;stream seq&gt;.&lt;consumer seq&gt;.&lt;time&gt;.&lt;pending&gt;</c>;
/// version 2 (nats-server 2.10) puts a domain and an account hash before the stream and may add a token at the end.
/// </summary>
internal sealed record JetStreamAckMetadata(string Stream, ulong StreamSequence, ulong Pending)
{
    public static JetStreamAckMetadata? Parse(string? replyTo)
    {
        var tokens = replyTo?.Split('.') ?? [];
        var stream = tokens.Length switch
        {
            9 => 2,
            11 or 12 => 4,
            _ => -1,
        };
        if (stream < 0 || tokens[0] != "$JS" || tokens[1] != "ACK")
        {
            return null;
        }

        return ulong.TryParse(tokens[stream + 3], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            && ulong.TryParse(tokens[stream + 6], NumberStyles.None, CultureInfo.InvariantCulture, out var pending)
            ? new JetStreamAckMetadata(tokens[stream], sequence, pending)
            : null;
    }
}
