using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using Gateway.Protocols.Mqtt.Packets;

namespace Gateway.Protocols.Mqtt;

/// <summary>One network connection to the broker, from CONNECT to its end; it never reconnects itself.</summary>
internal sealed class MqttSession : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly MqttPacketEncoder _encoder;
    private readonly MqttPacketDecoder _decoder;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _writeBuffer = new(1024);

    private MqttSession(TcpClient tcp, Stream stream, MqttClientOptions options)
    {
        _tcp = tcp;
        _stream = stream;
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        _encoder = new MqttPacketEncoder(options.Version);
        _decoder = new MqttPacketDecoder(options.Version, options.MaxPacketSize);
    }

    public MqttConnAckPacket ConnAck { get; private set; } = null!;

    public static async Task<MqttSession> OpenAsync(MqttClientOptions options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(options.Url.Host, options.Port, timeout.Token);
            Stream stream = tcp.GetStream();
            if (options.Url.Scheme == "mqtts")
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = options.Url.Host }, timeout.Token);
                stream = tls;
            }

            var session = new MqttSession(tcp, stream, options);
            var v5 = options.Version == MqttVersion.V500;
            await session.SendAsync(new MqttConnectPacket(
                options.ClientId, options.CleanStart, (ushort)options.KeepAlive.TotalSeconds, options.UserName, options.Password)
            {
                ReceiveMaximum = v5 ? (ushort)options.MaxInFlight : null,
                SessionExpirySeconds = v5 && options.SessionExpirySeconds > 0 ? options.SessionExpirySeconds : null,
            }, timeout.Token);
            var answer = await session.ReceiveAsync(timeout.Token);
            if (answer is not MqttConnAckPacket connAck)
            {
                throw new MqttProtocolException("the broker did not answer CONNECT with CONNACK");
            }

            if (connAck.ReasonCode != 0)
            {
                throw new MqttConnectException(connAck.ReasonCode, $"the broker refused the connection: {ConnectReason(connAck)}");
            }

            session.ConnAck = connAck;
            return session;
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    public async ValueTask SendAsync(MqttPacket packet, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            _writeBuffer.ResetWrittenCount();
            _encoder.Encode(packet, _writeBuffer);
            await _stream.WriteAsync(_writeBuffer.WrittenMemory, cancellationToken);
            await _stream.FlushAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The next packet; throws <see cref="IOException"/> when the connection ends.</summary>
    public async ValueTask<MqttPacket> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (_decoder.TryDecode(ref buffer, out var packet))
            {
                _reader.AdvanceTo(buffer.Start);
                return packet!;
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new IOException("the broker closed the connection");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync();
        await _stream.DisposeAsync();
        _tcp.Dispose();
        _writeLock.Dispose();
    }

    /// <summary>3.1.1 return codes 1-5 and the 5.0 reason codes, in words.</summary>
    private static string ConnectReason(MqttConnAckPacket connAck) => connAck.ReasonCode switch
    {
        1 => "unacceptable protocol version",
        2 => "identifier rejected",
        3 => "server unavailable",
        4 or 0x86 => "bad user name or password",
        5 or 0x87 => "not authorized",
        0x84 => "unsupported protocol version",
        _ => $"reason code 0x{connAck.ReasonCode:X2}{(connAck.ReasonString is null ? string.Empty : $" ({connAck.ReasonString})")}",
    };
}
