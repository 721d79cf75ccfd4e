using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Gateway.Protocols.Mqtt.Packets;

/// <summary>The MQTT data representations (MQTT 5.0 §1.5): integers, variable byte integers, strings, binary data.</summary>
internal static class MqttWire
{
    public static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    public static void WriteUInt16(IBufferWriter<byte> output, ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(output.GetSpan(2), value);
        output.Advance(2);
    }

    public static void WriteUInt32(IBufferWriter<byte> output, uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    /// <summary>§1.5.5: seven bits a byte, the high bit says "more"; at most four bytes (268,435,455).</summary>
    public static void WriteVariableInteger(IBufferWriter<byte> output, int value)
    {
        if (value is < 0 or > 268_435_455)
        {
            throw new MqttProtocolException($"{value} does not fit a variable byte integer");
        }

        do
        {
            var digit = (byte)(value % 128);
            value /= 128;
            WriteByte(output, value > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (value > 0);
    }

    public static void WriteString(IBufferWriter<byte> output, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        if (length > ushort.MaxValue)
        {
            throw new MqttProtocolException("a string longer than 65535 bytes");
        }

        WriteUInt16(output, (ushort)length);
        Encoding.UTF8.GetBytes(value, output.GetSpan(length));
        output.Advance(length);
    }

    public static void WriteBinary(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        WriteUInt16(output, (ushort)value.Length);
        value.CopyTo(output.GetSpan(value.Length));
        output.Advance(value.Length);
    }

    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        value.CopyTo(output.GetSpan(value.Length));
        output.Advance(value.Length);
    }

    /// <summary>Reads a variable byte integer; false when the bytes are not all there yet.</summary>
    public static bool TryReadVariableInteger(ref SequenceReader<byte> reader, out int value)
    {
        value = 0;
        var multiplier = 1;
        for (var i = 0; i < 4; i++)
        {
            if (!reader.TryRead(out var digit))
            {
                return false;
            }

            value += (digit & 0x7F) * multiplier;
            if ((digit & 0x80) == 0)
            {
                return true;
            }

            multiplier *= 128;
        }

        throw new MqttProtocolException("a variable byte integer longer than four bytes");
    }

    public static byte ReadByte(ref SequenceReader<byte> reader) =>
        reader.TryRead(out var value) ? value : throw Truncated();

    public static ushort ReadUInt16(ref SequenceReader<byte> reader) =>
        reader.TryReadBigEndian(out short value) ? (ushort)value : throw Truncated();

    public static uint ReadUInt32(ref SequenceReader<byte> reader) =>
        reader.TryReadBigEndian(out int value) ? (uint)value : throw Truncated();

    public static string ReadString(ref SequenceReader<byte> reader)
    {
        var bytes = ReadBinary(ref reader);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new MqttProtocolException("a string that is not UTF-8 (MQTT-1.5.4-1)");
        }
    }

    public static byte[] ReadBinary(ref SequenceReader<byte> reader)
    {
        var length = ReadUInt16(ref reader);
        if (reader.Remaining < length)
        {
            throw Truncated();
        }

        var bytes = reader.UnreadSequence.Slice(0, length).ToArray();
        reader.Advance(length);
        return bytes;
    }

    public static int ReadVariableInteger(ref SequenceReader<byte> reader) =>
        TryReadVariableInteger(ref reader, out var value) ? value : throw Truncated();

    private static MqttProtocolException Truncated() => new("a packet ends before its fields do");
}
