using System.Diagnostics;

namespace Gateway.Load;

/// <summary>
/// The end-to-end sink: an in-process Kestrel endpoint that grants the webhook handshake, reads each delivery,
/// answers 202 at once and counts it. 202 with no body, because a 200/201 carrying an event would be a reply that
/// the gateway routes on.
/// </summary>
internal sealed class CountingSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _count;
    private long _lastDelivery;

    private CountingSink(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>Deliveries since the last <see cref="Reset"/>.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>The <see cref="Stopwatch"/> timestamp of the latest delivery.</summary>
    public long LastDelivery => Interlocked.Read(ref _lastDelivery);

    public static async Task<CountingSink> StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var sink = new CountingSink(app, new Uri($"http://127.0.0.1:{port}/sink"));
        app.Run(sink.HandleAsync);
        await app.StartAsync();
        return sink;
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _count, 0);
        Interlocked.Exchange(ref _lastDelivery, 0);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey("WebHook-Request-Origin"))
        {
            // Consent for any origin and no rate limit: the gateway's pacer must not be what limits delivery.
            context.Response.Headers["WebHook-Allowed-Origin"] = "*";
            context.Response.Headers["WebHook-Allowed-Rate"] = "*";
            context.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        await request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
        Interlocked.Increment(ref _count);
        Interlocked.Exchange(ref _lastDelivery, Stopwatch.GetTimestamp());
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }
}
