using System.Buffers;

namespace Gateway.Protocols.Mqtt.Packets;

/// <summary>Encodes control packets for one protocol version. Pure: no I/O.</summary>
public sealed class MqttPacketEncoder(MqttVersion version)
{
    private bool V5 => version == MqttVersion.V500;

    /// <summary>Writes <paramref name="packet"/>: fixed header, remaining length, body.</summary>
    public void Encode(MqttPacket packet, IBufferWriter<byte> output)
    {
        var body = new ArrayBufferWriter<byte>();
        var header = packet switch
        {
            MqttConnectPacket connect => Connect(connect, body),
            MqttConnAckPacket connAck => ConnAck(connAck, body),
            MqttPublishPacket publish => Publish(publish, body),
            MqttAckPacket ack => Ack(ack, body),
            MqttSubscribePacket subscribe => Subscribe(subscribe, body),
            MqttSubAckPacket subAck => SubAck(subAck, body),
            MqttPingReqPacket => (byte)0xC0,
            MqttPingRespPacket => (byte)0xD0,
            MqttDisconnectPacket disconnect => Disconnect(disconnect, body),
            _ => throw new ArgumentException($"cannot encode {packet.GetType().Name}", nameof(packet)),
        };
        MqttWire.WriteByte(output, header);
        MqttWire.WriteVariableInteger(output, body.WrittenCount);
        MqttWire.Write(output, body.WrittenSpan);
    }

    private byte Connect(MqttConnectPacket connect, ArrayBufferWriter<byte> body)
    {
        MqttWire.WriteString(body, "MQTT");
        MqttWire.WriteByte(body, (byte)version);
        var flags = (byte)((connect.CleanStart ? 0x02 : 0) | (connect.UserName is null ? 0 : 0x80) | (connect.Password is null ? 0 : 0x40));
        MqttWire.WriteByte(body, flags);
        MqttWire.WriteUInt16(body, connect.KeepAliveSeconds);
        if (V5)
        {
            new MqttProperties { ReceiveMaximum = connect.ReceiveMaximum, SessionExpiry = connect.SessionExpirySeconds }.Write(body);
        }

        MqttWire.WriteString(body, connect.ClientId);
        if (connect.UserName is not null)
        {
            MqttWire.WriteString(body, connect.UserName);
        }

        if (connect.Password is not null)
        {
            MqttWire.WriteBinary(body, System.Text.Encoding.UTF8.GetBytes(connect.Password));
        }

        return 0x10;
    }

    private byte ConnAck(MqttConnAckPacket connAck, ArrayBufferWriter<byte> body)
    {
        MqttWire.WriteByte(body, (byte)(connAck.SessionPresent ? 1 : 0));
        MqttWire.WriteByte(body, connAck.ReasonCode);
        if (V5)
        {
            new MqttProperties
            {
                ReceiveMaximum = connAck.ReceiveMaximum == ushort.MaxValue ? null : connAck.ReceiveMaximum,
                MaximumQoS = connAck.MaximumQoS == 2 ? null : connAck.MaximumQoS,
                MaximumPacketSize = connAck.MaximumPacketSize,
                ReasonString = connAck.ReasonString,
            }.Write(body);
        }

        return 0x20;
    }

    private byte Publish(MqttPublishPacket publish, ArrayBufferWriter<byte> body)
    {
        if (publish.QoS > 2)
        {
            throw new MqttProtocolException("QoS is 0, 1 or 2");
        }

        MqttWire.WriteString(body, publish.Topic);
        if (publish.QoS > 0)
        {
            MqttWire.WriteUInt16(body, publish.PacketId);
        }

        if (V5)
        {
            var properties = new MqttProperties
            {
                PayloadFormat = publish.PayloadFormat,
                MessageExpiry = publish.MessageExpirySeconds,
                ContentType = publish.ContentType,
            };
            properties.UserProperties.AddRange(publish.UserProperties);
            properties.Write(body);
        }

        MqttWire.Write(body, publish.Payload.Span);
        return (byte)(0x30 | (publish.Duplicate ? 0x08 : 0) | (publish.QoS << 1) | (publish.Retain ? 0x01 : 0));
    }

    private byte Ack(MqttAckPacket ack, ArrayBufferWriter<byte> body)
    {
        MqttWire.WriteUInt16(body, ack.PacketId);
        if (V5 && (ack.ReasonCode != 0 || ack.ReasonString is not null))
        {
            MqttWire.WriteByte(body, ack.ReasonCode);
            new MqttProperties { ReasonString = ack.ReasonString }.Write(body);
        }

        // PUBREL has the fixed-header flags 0010 (MQTT-3.6.1-1).
        return (byte)(((byte)ack.Kind << 4) | (ack.Kind == MqttAckKind.PubRel ? 0x02 : 0));
    }

    private byte Subscribe(MqttSubscribePacket subscribe, ArrayBufferWriter<byte> body)
    {
        MqttWire.WriteUInt16(body, subscribe.PacketId);
        if (V5)
        {
            new MqttProperties().Write(body);
        }

        foreach (var (filter, qos) in subscribe.Filters)
        {
            MqttWire.WriteString(body, filter);
            MqttWire.WriteByte(body, qos);
        }

        return 0x82;
    }

    private byte SubAck(MqttSubAckPacket subAck, ArrayBufferWriter<byte> body)
    {
        MqttWire.WriteUInt16(body, subAck.PacketId);
        if (V5)
        {
            new MqttProperties().Write(body);
        }

        foreach (var code in subAck.ReasonCodes)
        {
            MqttWire.WriteByte(body, code);
        }

        return 0x90;
    }

    private byte Disconnect(MqttDisconnectPacket disconnect, ArrayBufferWriter<byte> body)
    {
        if (V5)
        {
            MqttWire.WriteByte(body, disconnect.ReasonCode);
            new MqttProperties().Write(body);
        }

        return 0xE0;
    }
}
