using System.Buffers;

namespace Gateway.Protocols.Mqtt.Packets;

/// <summary>
/// Decodes control packets for one protocol version from a <see cref="ReadOnlySequence{T}"/>. The remaining length
/// is checked against <paramref name="maxPacketSize"/> before anything waits for the body or allocates.
/// </summary>
public sealed class MqttPacketDecoder(MqttVersion version, int maxPacketSize)
{
    private bool V5 => version == MqttVersion.V500;

    /// <summary>
    /// Decodes one packet; false when the buffer does not hold all of it yet (nothing is consumed then). On success,
    /// <paramref name="buffer"/> is advanced past the packet.
    /// </summary>
    public bool TryDecode(ref ReadOnlySequence<byte> buffer, out MqttPacket? packet)
    {
        packet = null;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryRead(out var header) || !MqttWire.TryReadVariableInteger(ref reader, out var length))
        {
            return false;
        }

        if (length > maxPacketSize)
        {
            throw new MqttProtocolException($"a packet of {length} bytes is larger than the {maxPacketSize} accepted");
        }

        if (reader.Remaining < length)
        {
            return false;
        }

        var body = new SequenceReader<byte>(reader.UnreadSequence.Slice(0, length));
        packet = Decode(header, ref body, length);
        if (body.Remaining != 0)
        {
            throw new MqttProtocolException("a packet is longer than its fields");
        }

        buffer = buffer.Slice(reader.Position).Slice(length);
        return true;
    }

    private MqttPacket Decode(byte header, ref SequenceReader<byte> body, int length)
    {
        var type = header >> 4;
        var flags = header & 0x0F;
        return type switch
        {
            1 when flags == 0 => Connect(ref body),
            2 when flags == 0 => ConnAck(ref body),
            3 => Publish(flags, ref body),
            4 or 5 or 7 when flags == 0 => Ack((MqttAckKind)type, ref body, length),
            6 when flags == 2 => Ack(MqttAckKind.PubRel, ref body, length),
            8 when flags == 2 => Subscribe(ref body),
            9 when flags == 0 => SubAck(ref body),
            12 when flags == 0 && length == 0 => new MqttPingReqPacket(),
            13 when flags == 0 && length == 0 => new MqttPingRespPacket(),
            14 when flags == 0 => Disconnect(ref body, length),
            _ => throw new MqttProtocolException($"invalid packet type {type} with flags {flags}"),
        };
    }

    private MqttConnectPacket Connect(ref SequenceReader<byte> body)
    {
        if (MqttWire.ReadString(ref body) != "MQTT" || MqttWire.ReadByte(ref body) != (byte)version)
        {
            throw new MqttProtocolException("not a CONNECT of this protocol version");
        }

        var flags = MqttWire.ReadByte(ref body);
        var keepAlive = MqttWire.ReadUInt16(ref body);
        var properties = V5 ? MqttProperties.Read(ref body) : new MqttProperties();
        var clientId = MqttWire.ReadString(ref body);
        var user = (flags & 0x80) != 0 ? MqttWire.ReadString(ref body) : null;
        var password = (flags & 0x40) != 0 ? System.Text.Encoding.UTF8.GetString(MqttWire.ReadBinary(ref body)) : null;
        return new MqttConnectPacket(clientId, (flags & 0x02) != 0, keepAlive, user, password)
        {
            ReceiveMaximum = properties.ReceiveMaximum,
            SessionExpirySeconds = properties.SessionExpiry,
        };
    }

    private MqttConnAckPacket ConnAck(ref SequenceReader<byte> body)
    {
        var sessionPresent = (MqttWire.ReadByte(ref body) & 0x01) != 0;
        var code = MqttWire.ReadByte(ref body);
        if (!V5)
        {
            return new MqttConnAckPacket(sessionPresent, code);
        }

        var properties = MqttProperties.Read(ref body);
        return new MqttConnAckPacket(sessionPresent, code)
        {
            ReceiveMaximum = properties.ReceiveMaximum ?? ushort.MaxValue,
            MaximumQoS = properties.MaximumQoS ?? 2,
            MaximumPacketSize = properties.MaximumPacketSize,
            ReasonString = properties.ReasonString,
        };
    }

    private MqttPublishPacket Publish(int flags, ref SequenceReader<byte> body)
    {
        var qos = (byte)((flags >> 1) & 0x03);
        if (qos == 3)
        {
            throw new MqttProtocolException("QoS 3 does not exist (MQTT-3.3.1-4)");
        }

        var topic = MqttWire.ReadString(ref body);
        var packetId = qos > 0 ? MqttWire.ReadUInt16(ref body) : (ushort)0;
        var properties = V5 ? MqttProperties.Read(ref body) : new MqttProperties();
        var payload = body.UnreadSequence.ToArray();
        body.Advance(payload.Length);
        return new MqttPublishPacket(topic, qos, (flags & 0x01) != 0, packetId, payload)
        {
            Duplicate = (flags & 0x08) != 0,
            ContentType = properties.ContentType,
            MessageExpirySeconds = properties.MessageExpiry,
            PayloadFormat = properties.PayloadFormat,
            UserProperties = properties.UserProperties,
        };
    }

    /// <summary>MQTT 5 acks may stop after the packet id (success) or after the reason code (no properties).</summary>
    private MqttAckPacket Ack(MqttAckKind kind, ref SequenceReader<byte> body, int length)
    {
        var packetId = MqttWire.ReadUInt16(ref body);
        if (!V5 || length == 2)
        {
            return new MqttAckPacket(kind, packetId);
        }

        var code = MqttWire.ReadByte(ref body);
        var reason = length > 3 ? MqttProperties.Read(ref body).ReasonString : null;
        return new MqttAckPacket(kind, packetId, code) { ReasonString = reason };
    }

    private MqttSubscribePacket Subscribe(ref SequenceReader<byte> body)
    {
        var packetId = MqttWire.ReadUInt16(ref body);
        if (V5)
        {
            MqttProperties.Read(ref body);
        }

        var filters = new List<(string, byte)>();
        while (body.Remaining > 0)
        {
            filters.Add((MqttWire.ReadString(ref body), (byte)(MqttWire.ReadByte(ref body) & 0x03)));
        }

        return filters.Count > 0 ? new MqttSubscribePacket(packetId, filters) : throw new MqttProtocolException("SUBSCRIBE without a filter");
    }

    private MqttSubAckPacket SubAck(ref SequenceReader<byte> body)
    {
        var packetId = MqttWire.ReadUInt16(ref body);
        if (V5)
        {
            MqttProperties.Read(ref body);
        }

        var codes = body.UnreadSequence.ToArray();
        body.Advance(codes.Length);
        return new MqttSubAckPacket(packetId, codes);
    }

    private MqttDisconnectPacket Disconnect(ref SequenceReader<byte> body, int length)
    {
        if (!V5 || length == 0)
        {
            return new MqttDisconnectPacket();
        }

        var code = MqttWire.ReadByte(ref body);
        if (length > 1)
        {
            MqttProperties.Read(ref body);
        }

        return new MqttDisconnectPacket(code);
    }
}
