using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.SpecConformance.Infrastructure;

/// <summary>
/// A real HTTP resource for the polling source to watch: it answers <c>GET /resource</c> with an <c>ETag</c> and
/// honours <c>If-None-Match</c> with <c>304</c>, counting both kinds of answer.
/// </summary>
public sealed class PolledResource : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private WebApplication _app = null!;
    private string _body = "";
    private string _contentType = "application/json";
    private int _version;

    public Uri Url { get; private set; } = null!;

    public int NotModifiedAnswers { get; private set; }

    public int FullAnswers { get; private set; }

    public static async Task<PolledResource> StartAsync(string body, string contentType = "application/json")
    {
        var resource = new PolledResource();
        resource.Set(body, contentType);
        (resource._app, var baseAddress) = await LoopbackWebApp.StartAsync(app => app.MapGet("/resource", resource.Answer));
        resource.Url = new Uri(baseAddress, "resource");
        return resource;
    }

    /// <summary>Changes the resource: a new body and a new ETag.</summary>
    public void Set(string body, string contentType = "application/json")
    {
        lock (_lock)
        {
            _body = body;
            _contentType = contentType;
            _version++;
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private IResult Answer(HttpContext context)
    {
        lock (_lock)
        {
            var etag = $"\"v{_version}\"";
            context.Response.Headers.ETag = etag;
            if (context.Request.Headers.IfNoneMatch == etag)
            {
                NotModifiedAnswers++;
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }

            FullAnswers++;
            return Results.Bytes(Encoding.UTF8.GetBytes(_body), _contentType);
        }
    }
}
