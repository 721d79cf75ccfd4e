using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Gateway.Testing;

/// <summary>
/// A real nats-server with JetStream for the NATS tests of one class, and a NATS.Net client for the test's side: an
/// independent client, nobody here wrote it. Shared by tests/ and spec-conformance/ (linked by the projects that use
/// NATS; tests/Shared/*.cs does not include this folder).
/// </summary>
public sealed class NatsServerFixture : IAsyncLifetime
{
    public NatsServerProcess Server { get; private set; } = null!;

    public NatsConnection Client { get; private set; } = null!;

    private NatsJSContext JetStream => new(Client);

    public async ValueTask InitializeAsync()
    {
        Server = await NatsServerProcess.StartAsync();
        Client = new NatsConnection(NatsOpts.Default with { Url = Server.Url });
        await Client.ConnectAsync();
    }

    /// <summary>Publishes on core NATS.</summary>
    public async Task PublishAsync(string subject, NatsHeaders? headers, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        await Client.PublishAsync(subject, payload, headers, cancellationToken: cancellationToken);

    /// <summary>A core subscription, its messages read with <see cref="NextAsync"/>.</summary>
    public async Task<INatsSub<byte[]>> SubscribeAsync(string subject) => await Client.SubscribeCoreAsync<byte[]>(subject);

    /// <summary>The next message of a subscription, within 15 seconds.</summary>
    public static async Task<NatsMsg<byte[]>> NextAsync(INatsSub<byte[]> subscription)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await subscription.Msgs.ReadAsync(timeout.Token);
    }

    /// <summary>Creates a stream (file storage, so it survives a restart) of <paramref name="subjects"/>; returns its name.</summary>
    public async Task<string> CreateStreamAsync(params string[] subjects)
    {
        var name = "S" + Guid.NewGuid().ToString("N");
        await JetStream.CreateStreamAsync(new StreamConfig(name, subjects) { Storage = StreamConfigStorage.File });
        return name;
    }

    /// <summary>Publishes into a stream and waits for its PubAck.</summary>
    public async Task PublishToStreamAsync(string subject, NatsHeaders? headers, ReadOnlyMemory<byte> payload)
    {
        var ack = await JetStream.PublishAsync(subject, payload, headers: headers);
        ack.EnsureSuccess();
    }

    /// <summary>How many messages a stream holds; retried while the client reconnects after a server restart.</summary>
    public async Task<long> StreamMessagesAsync(string stream)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var info = await JetStream.GetStreamAsync(stream);
                return (long)info.Info.State.Messages;
            }
            catch (NatsException) when (attempt < 100)
            {
                await Task.Delay(100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}
