using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.SpecConformance.Infrastructure;

/// <summary>
/// A real HTTP sink on a free loopback port. Each test takes its own path (<see cref="NewPath"/>), tells the sink
/// how to answer there, and reads what arrived, in order.
/// </summary>
public sealed class SinkServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, SinkBehavior> _behaviors = new();
    private readonly ConcurrentDictionary<string, Channel<ReceivedRequest>> _received = new();
    private WebApplication _app = null!;

    private SinkServer()
    {
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Starts a sink; over HTTPS with <paramref name="certificate"/> when one is given.</summary>
    public static async Task<SinkServer> StartAsync(X509Certificate2? certificate = null)
    {
        var sink = new SinkServer();
        (sink._app, sink.BaseAddress) = await LoopbackWebApp.StartAsync(app => app.Run(sink.HandleAsync), certificate);
        return sink;
    }

    /// <summary>A fresh path with the given behaviour; the sink URL is <see cref="Url"/>.</summary>
    public string NewPath(SinkBehavior? behavior = null)
    {
        var path = "/sink/" + Guid.NewGuid().ToString("N");
        _behaviors[path] = behavior ?? new SinkBehavior();
        return path;
    }

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    public void SetBehavior(string path, SinkBehavior behavior) => _behaviors[path] = behavior;

    /// <summary>Every POST that reached <paramref name="path"/> until <paramref name="done"/> holds or time runs out.</summary>
    public async Task<List<ReceivedRequest>> CollectAsync(string path, Func<List<ReceivedRequest>, bool> done, TimeSpan timeout)
    {
        var received = new List<ReceivedRequest>();
        using var cancel = new CancellationTokenSource(timeout);
        var reader = Channel(path).Reader;
        try
        {
            while (!done(received))
            {
                var request = await reader.ReadAsync(cancel.Token);
                if (request.Method == "POST")
                {
                    received.Add(request);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Time is up: the caller asserts on what arrived.
        }

        return received;
    }

    /// <summary>The next request that reached <paramref name="path"/> (OPTIONS handshakes included).</summary>
    public async Task<ReceivedRequest> NextAsync(string path, string method = "POST", TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        var channel = Channel(path);
        while (true)
        {
            ReceivedRequest request;
            try
            {
                request = await channel.Reader.ReadAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no {method} reached {path} in time");
            }

            if (request.Method == method)
            {
                return request;
            }
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private Channel<ReceivedRequest> Channel(string path) =>
        _received.GetOrAdd(path, _ => System.Threading.Channels.Channel.CreateUnbounded<ReceivedRequest>());

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var behavior = _behaviors.GetValueOrDefault(path) ?? new SinkBehavior();
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            await Channel(path).Writer.WriteAsync(new ReceivedRequest(context.Request.Method, path, headers, body.ToArray(), 200));
            if (behavior.GrantHandshake)
            {
                context.Response.Headers["WebHook-Allowed-Origin"] = behavior.AllowedOrigin;
                context.Response.Headers["WebHook-Allowed-Rate"] = "*";
            }

            context.Response.Headers.Allow = "POST, OPTIONS";
            context.Response.StatusCode = 200;
            return;
        }

        var response = behavior.Next();
        await Channel(path).Writer.WriteAsync(new ReceivedRequest(context.Request.Method, path, headers, body.ToArray(), response.Status));
        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (response.Body is { } text)
        {
            await context.Response.WriteAsync(text);
        }
    }
}

/// <summary>
/// How the sink answers on one path: the handshake, then the scripted responses in order, then
/// <see cref="Status"/> for every further request.
/// </summary>
public sealed record SinkBehavior(bool GrantHandshake = true, int Status = 202, string AllowedOrigin = "*")
{
    private readonly ConcurrentQueue<SinkResponse> _script = new();

    public SinkBehavior(params SinkResponse[] script)
        : this()
    {
        foreach (var response in script)
        {
            _script.Enqueue(response);
        }
    }

    /// <summary>The response for every request once the script is used up.</summary>
    public SinkResponse? Default { get; init; }

    internal SinkResponse Next() => _script.TryDequeue(out var next) ? next : Default ?? new SinkResponse(Status);
}

/// <summary>One scripted answer.</summary>
public sealed record SinkResponse(int Status, IReadOnlyDictionary<string, string>? Headers = null, string? Body = null);

/// <summary>One request as the sink saw it.</summary>
public sealed record ReceivedRequest(
    string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, int AnsweredStatus)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    /// <summary>When the sink received the request.</summary>
    public DateTimeOffset At { get; } = DateTimeOffset.UtcNow;
}
