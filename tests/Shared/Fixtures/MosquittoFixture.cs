using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Gateway.Protocols.Mqtt;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Gateway.Testing;

/// <summary>
/// A real Mosquitto for the MQTT tests of one class, and an MQTTnet client of each version for the test's side.
/// Shared by tests/ and spec-conformance/ (linked by the projects that use MQTT).
/// </summary>
public sealed class MosquittoFixture : IAsyncLifetime
{
    public MosquittoProcess Broker { get; private set; } = null!;

    public MqttTestClient V5 { get; private set; } = null!;

    public MqttTestClient V3 { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Broker = await MosquittoProcess.StartAsync();
        V5 = await MqttTestClient.ConnectAsync(Broker.Url, MqttVersion.V500);
        V3 = await MqttTestClient.ConnectAsync(Broker.Url, MqttVersion.V311);
    }

    /// <summary>Publishes with QoS 1 and checks the broker took it.</summary>
    public async Task PublishAsync(MqttApplicationMessage message, MqttVersion version = MqttVersion.V500)
    {
        message.QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce;
        var result = await (version == MqttVersion.V500 ? V5 : V3).PublishAsync(message);
        Assert.True(result.IsSuccess, $"the broker answered {result.ReasonCode}");
    }

    public async ValueTask DisposeAsync()
    {
        await V5.DisposeAsync();
        await V3.DisposeAsync();
        await Broker.DisposeAsync();
    }
}

/// <summary>
/// An MQTTnet client for a test: publishes, routes what it receives to the subscription it matches, and (MQTTnet does
/// not) reconnects when a test restarts the broker, subscribing again.
/// </summary>
public sealed class MqttTestClient : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentDictionary<string, Channel<MqttApplicationMessage>> _subscriptions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _qos = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _disposed = new();
    private readonly MqttClientOptions _options;

    private MqttTestClient(MqttClientOptions options)
    {
        _options = options;
        _client.DisconnectedAsync += async disconnected =>
        {
            if (disconnected.ClientWasConnected && !_disposed.IsCancellationRequested)
            {
                await ReconnectAsync();
            }
        };
        _client.ApplicationMessageReceivedAsync += received =>
        {
            foreach (var (filter, messages) in _subscriptions)
            {
                if (MqttTopicFilterComparer.Compare(received.ApplicationMessage.Topic, filter) == MqttTopicFilterCompareResult.IsMatch)
                {
                    messages.Writer.TryWrite(received.ApplicationMessage);
                }
            }

            return Task.CompletedTask;
        };
    }

    /// <summary>Connects; with <paramref name="persistentClientId"/>, in a session the broker keeps for 5 minutes.</summary>
    public static async Task<MqttTestClient> ConnectAsync(string brokerUrl, MqttVersion version, string? persistentClientId = null)
    {
        var url = new Uri(brokerUrl);
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(url.Host, url.Port)
            .WithProtocolVersion(version == MqttVersion.V500 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311)
            .WithClientId(persistentClientId ?? "test-" + Guid.NewGuid().ToString("N"));
        if (persistentClientId is not null)
        {
            options = version == MqttVersion.V500 ? options.WithCleanStart(false).WithSessionExpiryInterval(300) : options.WithCleanSession(false);
        }

        var client = new MqttTestClient(options.Build());
        await client._client.ConnectAsync(client._options);
        return client;
    }

    /// <summary>A message of <paramref name="topic"/> (QoS 1), with an optional content type and user properties.</summary>
    public static MqttApplicationMessage Message(string topic, byte[] payload, string? contentType = null, params (string Name, string Value)[] userProperties) =>
        new()
        {
            Topic = topic,
            QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
            Payload = new ReadOnlySequence<byte>(payload),
            ContentType = contentType,
            UserProperties = userProperties.Length == 0 ? null : [.. userProperties.Select(p => new MqttUserProperty(p.Name, Encoding.UTF8.GetBytes(p.Value).AsMemory()))],
        };

    /// <summary>The value of a user property, or null.</summary>
    public static string? Property(MqttApplicationMessage message, string name) =>
        message.UserProperties?.FirstOrDefault(p => p.Name == name)?.ReadValueAsString();

    /// <summary>The next message of a subscription, within 15 seconds.</summary>
    public static async Task<MqttApplicationMessage> NextAsync(ChannelReader<MqttApplicationMessage> messages)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await messages.ReadAsync(timeout.Token);
    }

    public Task<MqttClientPublishResult> PublishAsync(MqttApplicationMessage message) => _client.PublishAsync(message);

    /// <summary>Subscribes; returns the granted QoS and the messages that match <paramref name="filter"/>.</summary>
    public async Task<(int Granted, ChannelReader<MqttApplicationMessage> Messages)> SubscribeAsync(string filter, int qos)
    {
        var messages = _subscriptions.GetOrAdd(filter, _ => Channel.CreateUnbounded<MqttApplicationMessage>());
        _qos[filter] = qos;
        var result = await _client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, (MqttQualityOfServiceLevel)qos).Build());
        return ((int)result.Items.Single().ResultCode, messages.Reader);
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
        _disposed.Dispose();
    }

    /// <summary>Connects again every 100 ms until the broker is back (bounded: a minute), then subscribes again.</summary>
    private async Task ReconnectAsync()
    {
        for (var attempt = 0; attempt < 600 && !_disposed.IsCancellationRequested; attempt++)
        {
            try
            {
                await Task.Delay(100, _disposed.Token);
                await _client.ConnectAsync(_options, _disposed.Token);
                foreach (var (filter, qos) in _qos)
                {
                    await _client.SubscribeAsync(
                        new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, (MqttQualityOfServiceLevel)qos).Build(), _disposed.Token);
                }

                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
                // The broker is not back yet.
            }
        }
    }
}
