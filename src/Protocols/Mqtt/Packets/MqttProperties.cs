using System.Buffers;

namespace Gateway.Protocols.Mqtt.Packets;

/// <summary>The MQTT 5 properties the client reads or writes (MQTT 5.0 §2.2.2.2); others are read past.</summary>
internal sealed class MqttProperties
{
    public byte? PayloadFormat { get; set; }

    public uint? MessageExpiry { get; set; }

    public uint? SessionExpiry { get; set; }

    public string? ContentType { get; set; }

    public string? ReasonString { get; set; }

    public ushort? ReceiveMaximum { get; set; }

    public byte? MaximumQoS { get; set; }

    public uint? MaximumPacketSize { get; set; }

    public List<KeyValuePair<string, string>> UserProperties { get; } = [];

    /// <summary>Writes the property length and the properties.</summary>
    public void Write(IBufferWriter<byte> output)
    {
        var body = new ArrayBufferWriter<byte>();
        if (PayloadFormat is { } format)
        {
            MqttWire.WriteByte(body, 0x01);
            MqttWire.WriteByte(body, format);
        }

        if (MessageExpiry is { } expiry)
        {
            MqttWire.WriteByte(body, 0x02);
            MqttWire.WriteUInt32(body, expiry);
        }

        if (SessionExpiry is { } sessionExpiry)
        {
            MqttWire.WriteByte(body, 0x11);
            MqttWire.WriteUInt32(body, sessionExpiry);
        }

        if (ContentType is { } contentType)
        {
            MqttWire.WriteByte(body, 0x03);
            MqttWire.WriteString(body, contentType);
        }

        if (ReasonString is { } reason)
        {
            MqttWire.WriteByte(body, 0x1F);
            MqttWire.WriteString(body, reason);
        }

        if (ReceiveMaximum is { } receiveMaximum)
        {
            MqttWire.WriteByte(body, 0x21);
            MqttWire.WriteUInt16(body, receiveMaximum);
        }

        if (MaximumQoS is { } maximumQoS)
        {
            MqttWire.WriteByte(body, 0x24);
            MqttWire.WriteByte(body, maximumQoS);
        }

        if (MaximumPacketSize is { } maximumPacketSize)
        {
            MqttWire.WriteByte(body, 0x27);
            MqttWire.WriteUInt32(body, maximumPacketSize);
        }

        foreach (var (name, value) in UserProperties)
        {
            MqttWire.WriteByte(body, 0x26);
            MqttWire.WriteString(body, name);
            MqttWire.WriteString(body, value);
        }

        MqttWire.WriteVariableInteger(output, body.WrittenCount);
        MqttWire.Write(output, body.WrittenSpan);
    }

    /// <summary>Reads the property length and the properties; an unknown identifier is a protocol error.</summary>
    public static MqttProperties Read(ref SequenceReader<byte> reader)
    {
        var length = MqttWire.ReadVariableInteger(ref reader);
        if (reader.Remaining < length)
        {
            throw new MqttProtocolException("the properties are longer than the packet");
        }

        var end = reader.Consumed + length;
        var properties = new MqttProperties();
        while (reader.Consumed < end)
        {
            var id = MqttWire.ReadVariableInteger(ref reader);
            switch (id)
            {
                case 0x01: properties.PayloadFormat = MqttWire.ReadByte(ref reader); break;
                case 0x02: properties.MessageExpiry = MqttWire.ReadUInt32(ref reader); break;
                case 0x03: properties.ContentType = MqttWire.ReadString(ref reader); break;
                case 0x1F: properties.ReasonString = MqttWire.ReadString(ref reader); break;
                case 0x21: properties.ReceiveMaximum = MqttWire.ReadUInt16(ref reader); break;
                case 0x24: properties.MaximumQoS = MqttWire.ReadByte(ref reader); break;
                case 0x27: properties.MaximumPacketSize = MqttWire.ReadUInt32(ref reader); break;
                case 0x26: properties.UserProperties.Add(new(MqttWire.ReadString(ref reader), MqttWire.ReadString(ref reader))); break;
                case 0x17 or 0x19 or 0x25 or 0x28 or 0x29 or 0x2A: MqttWire.ReadByte(ref reader); break;
                case 0x13 or 0x22 or 0x23: MqttWire.ReadUInt16(ref reader); break;
                case 0x11: properties.SessionExpiry = MqttWire.ReadUInt32(ref reader); break;
                case 0x18: MqttWire.ReadUInt32(ref reader); break;
                case 0x0B: MqttWire.ReadVariableInteger(ref reader); break;
                case 0x08 or 0x12 or 0x15 or 0x1A or 0x1C: MqttWire.ReadString(ref reader); break;
                case 0x09 or 0x16: MqttWire.ReadBinary(ref reader); break;
                default: throw new MqttProtocolException($"unknown property identifier 0x{id:X2}");
            }
        }

        if (reader.Consumed != end)
        {
            throw new MqttProtocolException("a property runs past the property length");
        }

        return properties;
    }
}
