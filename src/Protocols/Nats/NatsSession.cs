using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Text.Json;

namespace Gateway.Protocols.Nats;

/// <summary>
/// One TCP (or TLS) connection to a server, from the INFO/CONNECT handshake to its end. A connection that breaks is
/// replaced by a new session; the session itself never reconnects.
/// </summary>
internal sealed class NatsSession : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly NatsProtocolParser _parser;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _writeBuffer = new(4096);

    private NatsSession(TcpClient tcp, Stream stream, NatsServerInfo info, NatsProtocolParser parser)
    {
        _tcp = tcp;
        _stream = stream;
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        Info = info;
        _parser = parser;
    }

    public NatsServerInfo Info { get; }

    /// <summary>Connects, reads INFO, upgrades to TLS when asked, sends CONNECT and waits for the PONG of a PING.</summary>
    public static async Task<NatsSession> OpenAsync(NatsOptions options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(options.Url.Host, options.Url.Port > 0 ? options.Url.Port : 4222, timeout.Token);
            Stream stream = tcp.GetStream();
            var parser = new NatsProtocolParser(options.MaxPayloadHardCap);
            var infoReader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
            var info = NatsServerInfo.Parse(await ReadInfoAsync(infoReader, parser, timeout.Token));
            await infoReader.CompleteAsync();
            if (options.Url.Scheme == "tls" || info.TlsRequired)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = options.Url.Host }, timeout.Token);
                stream = tls;
            }

            var session = new NatsSession(tcp, stream, info, new NatsProtocolParser(Math.Min(info.MaxPayload, options.MaxPayloadHardCap)));
            await session.HandshakeAsync(options, timeout.Token);
            return session;
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Writes whatever <paramref name="write"/> puts in the buffer, and flushes: one writer at a time.</summary>
    public async ValueTask WriteAsync(Action<IBufferWriter<byte>> write, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            _writeBuffer.ResetWrittenCount();
            write(_writeBuffer);
            await _stream.WriteAsync(_writeBuffer.WrittenMemory, cancellationToken);
            await _stream.FlushAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Reads operations until the connection ends; throws when it breaks.</summary>
    public async Task ReadLoopAsync(Func<NatsServerOp, ValueTask> handle, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            while (_parser.TryRead(ref buffer, out var op))
            {
                await handle(op);
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new IOException("the server closed the connection");
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

    private async Task HandshakeAsync(NatsOptions options, CancellationToken cancellationToken)
    {
        var connect = JsonSerializer.SerializeToUtf8Bytes(new ConnectOptions
        {
            Name = options.Name,
            User = options.User,
            Pass = options.Password,
            AuthToken = options.Token,
            TlsRequired = options.Url.Scheme == "tls" || Info.TlsRequired,
        }, NatsJsonContext.Default.ConnectOptions);
        await WriteAsync(w =>
        {
            NatsProtocolWriter.WriteConnect(w, connect);
            NatsProtocolWriter.WritePing(w);
        }, cancellationToken);

        // verbose is off, so the answer is PONG, or -ERR (e.g. 'Authorization Violation').
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var done = false;
            while (!done && _parser.TryRead(ref buffer, out var op))
            {
                done = op.Kind switch
                {
                    NatsOpKind.Pong => true,
                    NatsOpKind.Err => throw new NatsConnectException($"the server refused the connection: {op.Text}"),
                    _ => false,
                };
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (done)
            {
                return;
            }

            if (result.IsCompleted)
            {
                throw new NatsConnectException("the server closed the connection during the handshake");
            }
        }
    }

    private static async Task<string> ReadInfoAsync(PipeReader reader, NatsProtocolParser parser, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (parser.TryRead(ref buffer, out var op))
            {
                // INFO is the first line; nothing else comes before CONNECT, so nothing is lost here.
                reader.AdvanceTo(buffer.Start);
                return op.Kind == NatsOpKind.Info ? op.Text! : throw new NatsProtocolException("the server did not start with INFO");
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new NatsConnectException("the server closed the connection before INFO");
            }
        }
    }
}
