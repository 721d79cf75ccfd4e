using System.Buffers;
using Gateway.Protocols.Mqtt;
using Gateway.Protocols.Mqtt.Packets;

namespace Gateway.Protocols.Tests.Mqtt;

/// <summary>The MQTT codec without a network: round trips of every packet type in both versions, and hostile input.</summary>
public sealed class MqttCodecTests
{
    public static TheoryData<MqttVersion, int> PacketsOfBothVersions()
    {
        var data = new TheoryData<MqttVersion, int>();
        foreach (var version in new[] { MqttVersion.V311, MqttVersion.V500 })
        {
            for (var i = 0; i < Packets(version).Length; i++)
            {
                data.Add(version, i);
            }
        }

        return data;
    }

    private static MqttPacket[] Packets(MqttVersion version) =>
    [
        new MqttConnectPacket("client-1", true, 30, "user", "pass") { ReceiveMaximum = version == MqttVersion.V500 ? (ushort)10 : null },
        new MqttConnectPacket("client-2", false, 0, null, null) { SessionExpirySeconds = version == MqttVersion.V500 ? 86_400u : null },
        new MqttConnAckPacket(false, 0) { ReceiveMaximum = version == MqttVersion.V500 ? (ushort)20 : ushort.MaxValue },
        new MqttPublishPacket("a/b", 0, false, 0, "zero"u8.ToArray()),
        new MqttPublishPacket("a/b", 1, true, 7, "one"u8.ToArray()) { Duplicate = true },
        version == MqttVersion.V500
            ? new MqttPublishPacket("a/b", 2, false, 65535, new byte[300])
            {
                ContentType = "application/json", MessageExpirySeconds = 60, PayloadFormat = 1,
                UserProperties = [new("id", "1"), new("id", "2"), new("Euro", "€")],
            }
            : new MqttPublishPacket("a/b", 2, false, 65535, new byte[300]),
        new MqttAckPacket(MqttAckKind.PubAck, 1),
        new MqttAckPacket(MqttAckKind.PubRec, 2),
        new MqttAckPacket(MqttAckKind.PubRel, 3),
        new MqttAckPacket(MqttAckKind.PubComp, 4),
        version == MqttVersion.V500 ? new MqttAckPacket(MqttAckKind.PubAck, 5, 0x97) { ReasonString = "quota" } : new MqttAckPacket(MqttAckKind.PubAck, 5),
        new MqttSubscribePacket(9, [("a/+", 1), ("b/#", 2)]),
        new MqttSubAckPacket(9, [1, 0x80]),
        new MqttPingReqPacket(),
        new MqttPingRespPacket(),
        new MqttDisconnectPacket(),
    ];

    [Theory]
    [MemberData(nameof(PacketsOfBothVersions))]
    public void EncodeThenDecode_GivesThePacketBack(MqttVersion version, int index)
    {
        var packet = Packets(version)[index];
        var buffer = new ArrayBufferWriter<byte>();
        new MqttPacketEncoder(version).Encode(packet, buffer);
        var sequence = new ReadOnlySequence<byte>(buffer.WrittenMemory);

        Assert.True(new MqttPacketDecoder(version, 1 << 20).TryDecode(ref sequence, out var decoded));

        Assert.Equal(0, sequence.Length);
        AssertSame(packet, decoded!);
    }

    [Fact]
    public void Publish_V311_HasNoProperties_AndTheExactBytes()
    {
        var buffer = new ArrayBufferWriter<byte>();

        new MqttPacketEncoder(MqttVersion.V311).Encode(new MqttPublishPacket("t", 1, false, 10, "x"u8.ToArray()), buffer);

        Assert.Equal(new byte[] { 0x32, 6, 0, 1, (byte)'t', 0, 10, (byte)'x' }, buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Decoder_WaitsForTheWholePacket()
    {
        var buffer = new ArrayBufferWriter<byte>();
        new MqttPacketEncoder(MqttVersion.V500).Encode(new MqttPublishPacket("topic", 1, false, 1, new byte[200]), buffer);
        var decoder = new MqttPacketDecoder(MqttVersion.V500, 1 << 20);

        for (var length = 0; length < buffer.WrittenCount; length++)
        {
            var partial = new ReadOnlySequence<byte>(buffer.WrittenMemory[..length]);
            Assert.False(decoder.TryDecode(ref partial, out _));
            Assert.Equal(length, partial.Length);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x30, 0xFF, 0xFF, 0xFF, 0x7F })]
    [InlineData(new byte[] { 0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    [InlineData(new byte[] { 0x36, 3, 0, 1, (byte)'t' })]
    [InlineData(new byte[] { 0x62, 1, 0 })]
    [InlineData(new byte[] { 0x60, 2, 0, 1 })]
    [InlineData(new byte[] { 0xF0, 0 })]
    [InlineData(new byte[] { 0x30, 4, 0, 9, (byte)'a', (byte)'b' })]
    [InlineData(new byte[] { 0x30, 5, 0, 2, 0xC0, 0xA0, (byte)'x' })]
    [InlineData(new byte[] { 0xC0, 1, 0 })]
    public void Decoder_RejectsHostileInput(byte[] wire)
    {
        var sequence = new ReadOnlySequence<byte>(wire);

        Assert.Throws<MqttProtocolException>(() => new MqttPacketDecoder(MqttVersion.V500, 1024).TryDecode(ref sequence, out _));
    }

    [Fact]
    public void Decoder_RejectsAnUnknownProperty()
    {
        // PUBACK v5: packet id 1, reason 0, property length 2, property 0x7F.
        var sequence = new ReadOnlySequence<byte>(new byte[] { 0x40, 6, 0, 1, 0, 2, 0x7F, 0 });

        Assert.Throws<MqttProtocolException>(() => new MqttPacketDecoder(MqttVersion.V500, 1024).TryDecode(ref sequence, out _));
    }

    [Theory]
    [InlineData("a/b", "a/b", true)]
    [InlineData("a/+", "a/b", true)]
    [InlineData("a/+", "a/b/c", false)]
    [InlineData("a/#", "a/b/c", true)]
    [InlineData("#", "a", true)]
    [InlineData("a/b", "a/c", false)]
    [InlineData("$share/group/a/+", "a/b", true)]
    [InlineData("$share/group/a/+", "group/a/b", false)]
    public void TopicFilters_Match(string filter, string topic, bool expected)
    {
        Assert.Equal(expected, MqttClient.Matches(filter, topic));
    }

    private static void AssertSame(MqttPacket expected, MqttPacket actual)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        switch (expected)
        {
            case MqttPublishPacket publish:
                var other = (MqttPublishPacket)actual;
                Assert.Equal(publish.Payload.ToArray(), other.Payload.ToArray());
                Assert.Equal(publish with { Payload = default, UserProperties = [] }, other with { Payload = default, UserProperties = [] });
                Assert.Equal(publish.UserProperties, other.UserProperties);
                break;
            case MqttSubscribePacket subscribe:
                Assert.Equal(subscribe.PacketId, ((MqttSubscribePacket)actual).PacketId);
                Assert.Equal(subscribe.Filters, ((MqttSubscribePacket)actual).Filters);
                break;
            case MqttSubAckPacket subAck:
                Assert.Equal(subAck.ReasonCodes, ((MqttSubAckPacket)actual).ReasonCodes);
                break;
            default:
                Assert.Equal(expected, actual);
                break;
        }
    }
}
