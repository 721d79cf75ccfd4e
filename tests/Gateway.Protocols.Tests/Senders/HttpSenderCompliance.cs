using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Http;
using Gateway.Protocols.CloudEvents.Json;
using Gateway.Protocols.Http;
using Gateway.Testing;

namespace Gateway.Protocols.Tests.Senders;

/// <summary>The HTTP webhook sender against a real HTTP server on loopback (.NET's HttpListener).</summary>
public sealed class HttpSenderCompliance(HttpSinkFixture http) : SenderCompliance, IClassFixture<HttpSinkFixture>
{
    protected override IProtocolBinding Binding { get; } = new HttpProtocolBinding(new HttpDeliveryOptions());

    protected override (string Sink, JsonObject Settings) NewDestination(bool structured) =>
        (http.NewUrl(), new JsonObject { ["contentmode"] = structured ? "structured" : "binary" });

    protected override Task<ISinkReader> OpenReaderAsync(string sink, JsonObject settings) =>
        Task.FromResult<ISinkReader>(new Reader(http.Received(sink)));

    protected override Task TakeDownAsync() => http.StopAsync();

    protected override Task BringUpAsync()
    {
        http.Start();
        return Task.CompletedTask;
    }

    /// <summary>A sink answering 400 will never take the event (§5.2: 4xx other than 408, 410 and 429).</summary>
    protected override (string Sink, JsonObject Settings, CloudEvent Event)? NeverAccepted(out string why)
    {
        why = string.Empty;
        return (http.NewUrl(status: 400), new JsonObject(), Event("refused"));
    }

    private sealed class Reader(ChannelReader<CloudEvent> events) : ISinkReader
    {
        public async Task<CloudEvent> NextAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            return await events.ReadAsync(timeout.Token);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>A webhook on a loopback port that can be stopped and started again there; each URL answers one status.</summary>
public sealed class HttpSinkFixture : IAsyncDisposable
{
    private readonly int _port = LocalServer.FreePort();
    private readonly ConcurrentDictionary<string, Channel<CloudEvent>> _received = new();
    private readonly ConcurrentDictionary<string, int> _statuses = new();
    private HttpListener? _listener;
    private Task _serving = Task.CompletedTask;

    public HttpSinkFixture() => Start();

    public string NewUrl(int status = 202)
    {
        var path = "/" + Guid.NewGuid().ToString("N");
        _statuses[path] = status;
        return $"http://127.0.0.1:{_port}{path}";
    }

    public ChannelReader<CloudEvent> Received(string url) =>
        _received.GetOrAdd(new Uri(url).AbsolutePath, _ => Channel.CreateUnbounded<CloudEvent>()).Reader;

    public void Start()
    {
        _listener = new HttpListener();
        _listener.Prefixes.Add($"http://127.0.0.1:{_port}/");
        _listener.Start();
        _serving = ServeAsync(_listener);
    }

    public async Task StopAsync()
    {
        _listener?.Close();
        await _serving;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task ServeAsync(HttpListener listener)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            await AnswerAsync(context);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.InputStream.CopyToAsync(body);
        var status = _statuses.GetValueOrDefault(request.Url!.AbsolutePath, 404);
        if (status is >= 200 and < 300)
        {
            var headers = request.Headers.AllKeys.SelectMany(name => request.Headers.GetValues(name!)!.Select(value => KeyValuePair.Create(name!, value)));
            var cloudEvent = HttpBinding.DetectMode(request.ContentType) == HttpContentMode.Structured
                ? JsonEventFormat.Parse(body.ToArray())
                : HttpBinding.DecodeBinary(request.ContentType, headers, body.ToArray());
            _received.GetOrAdd(request.Url.AbsolutePath, _ => Channel.CreateUnbounded<CloudEvent>()).Writer.TryWrite(cloudEvent);
        }

        context.Response.StatusCode = status;
        context.Response.Close();
    }
}
