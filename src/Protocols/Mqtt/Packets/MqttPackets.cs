namespace Gateway.Protocols.Mqtt.Packets;

/// <summary>The protocol level in CONNECT: 4 is MQTT 3.1.1, 5 is MQTT 5.0.</summary>
public enum MqttVersion : byte
{
    /// <summary>MQTT 3.1.1.</summary>
    V311 = 4,

    /// <summary>MQTT 5.0.</summary>
    V500 = 5,
}

/// <summary>A control packet. The codec (<see cref="MqttPacketEncoder"/>, <see cref="MqttPacketDecoder"/>) is pure.</summary>
public abstract record MqttPacket;

/// <summary>CONNECT.</summary>
public sealed record MqttConnectPacket(string ClientId, bool CleanStart, ushort KeepAliveSeconds, string? UserName, string? Password) : MqttPacket
{
    /// <summary>MQTT 5: how many QoS 1/2 publishes the client accepts at once.</summary>
    public ushort? ReceiveMaximum { get; init; }

    /// <summary>MQTT 5: how long the broker keeps the session after the connection ends (seconds); null means 0.</summary>
    public uint? SessionExpirySeconds { get; init; }
}

/// <summary>CONNACK. The reason code is the 3.1.1 return code or the 5.0 reason code.</summary>
public sealed record MqttConnAckPacket(bool SessionPresent, byte ReasonCode) : MqttPacket
{
    /// <summary>MQTT 5: the server's Receive Maximum (in-flight limit); 65535 when absent.</summary>
    public ushort ReceiveMaximum { get; init; } = ushort.MaxValue;

    /// <summary>MQTT 5: the server's Maximum QoS; 2 when absent.</summary>
    public byte MaximumQoS { get; init; } = 2;

    /// <summary>MQTT 5: the largest packet the server accepts, or null for no limit.</summary>
    public uint? MaximumPacketSize { get; init; }

    /// <summary>MQTT 5: the Reason String, if any.</summary>
    public string? ReasonString { get; init; }
}

/// <summary>PUBLISH.</summary>
public sealed record MqttPublishPacket(string Topic, byte QoS, bool Retain, ushort PacketId, ReadOnlyMemory<byte> Payload) : MqttPacket
{
    /// <summary>Whether this is a re-delivery.</summary>
    public bool Duplicate { get; init; }

    /// <summary>MQTT 5 Content Type.</summary>
    public string? ContentType { get; init; }

    /// <summary>MQTT 5 Message Expiry Interval, seconds.</summary>
    public uint? MessageExpirySeconds { get; init; }

    /// <summary>MQTT 5 Payload Format Indicator (1: UTF-8).</summary>
    public byte? PayloadFormat { get; init; }

    /// <summary>MQTT 5 User Properties, in order, names may repeat.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> UserProperties { get; init; } = [];
}

/// <summary>The kinds of the four publish-acknowledgement packets, which share one shape.</summary>
public enum MqttAckKind : byte
{
    /// <summary>PUBACK (QoS 1).</summary>
    PubAck = 4,

    /// <summary>PUBREC (QoS 2, first step).</summary>
    PubRec = 5,

    /// <summary>PUBREL (QoS 2, second step).</summary>
    PubRel = 6,

    /// <summary>PUBCOMP (QoS 2, last step).</summary>
    PubComp = 7,
}

/// <summary>PUBACK, PUBREC, PUBREL or PUBCOMP: a packet id and (MQTT 5) a reason code.</summary>
public sealed record MqttAckPacket(MqttAckKind Kind, ushort PacketId, byte ReasonCode = 0) : MqttPacket
{
    /// <summary>MQTT 5: the Reason String, if any.</summary>
    public string? ReasonString { get; init; }
}

/// <summary>SUBSCRIBE with one or more topic filters and their maximum QoS.</summary>
public sealed record MqttSubscribePacket(ushort PacketId, IReadOnlyList<(string Filter, byte QoS)> Filters) : MqttPacket;

/// <summary>SUBACK: one reason code (granted QoS, or ≥ 0x80 failure) per filter.</summary>
public sealed record MqttSubAckPacket(ushort PacketId, IReadOnlyList<byte> ReasonCodes) : MqttPacket;

/// <summary>PINGREQ.</summary>
public sealed record MqttPingReqPacket : MqttPacket;

/// <summary>PINGRESP.</summary>
public sealed record MqttPingRespPacket : MqttPacket;

/// <summary>DISCONNECT, with a reason code in MQTT 5.</summary>
public sealed record MqttDisconnectPacket(byte ReasonCode = 0) : MqttPacket;

/// <summary>Input that is not a valid packet, or larger than accepted.</summary>
public sealed class MqttProtocolException(string message) : Exception(message);
