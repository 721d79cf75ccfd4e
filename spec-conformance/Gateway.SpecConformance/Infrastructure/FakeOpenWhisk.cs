using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.SpecConformance.Infrastructure;

/// <summary>
/// A fake OpenWhisk controller, only because OpenWhisk cannot run on this machine. It follows the documented trigger
/// API (spec/openwhisk.md): Basic auth with a namespace key, <c>_</c> for the key's own namespace, POST fires (202
/// with an activationId when a rule is active, 204 without), GET returns the trigger document, 401 for a wrong key,
/// 403 for another namespace, 404 for an unknown trigger, 429 with Retry-After when throttled.
/// </summary>
public sealed class FakeOpenWhisk : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (string Key, string Namespace)> _keys = new();
    private readonly ConcurrentDictionary<string, FakeTrigger> _triggers = new();
    private WebApplication _app = null!;

    private FakeOpenWhisk()
    {
    }

    public Uri ApiHost { get; private set; } = null!;

    public static async Task<FakeOpenWhisk> StartAsync()
    {
        var fake = new FakeOpenWhisk();
        (fake._app, fake.ApiHost) = await LoopbackWebApp.StartAsync(
            app => app.MapMethods("/api/v1/namespaces/{ns}/triggers/{name}", ["GET", "POST"], fake.HandleAsync));
        return fake;
    }

    /// <summary>A namespace with its key (uuid, key).</summary>
    public (string Uuid, string Key, string Namespace) NewNamespace()
    {
        var uuid = Guid.NewGuid().ToString();
        var key = Convert.ToHexString(Guid.NewGuid().ToByteArray());
        var ns = "ns" + Guid.NewGuid().ToString("N")[..8];
        _keys[uuid] = (key, ns);
        return (uuid, key, ns);
    }

    public FakeTrigger AddTrigger(string ns, string name, bool hasActiveRule = true) =>
        _triggers[$"{ns}/{name}"] = new FakeTrigger(hasActiveRule);

    public void DeleteTrigger(string ns, string name) => _triggers.TryRemove($"{ns}/{name}", out _);

    public string TriggerUrl(string ns, string name) => new Uri(ApiHost, $"api/v1/namespaces/{ns}/triggers/{name}").ToString();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<IResult> HandleAsync(string ns, string name, HttpContext context)
    {
        if (!TryAuthenticate(context.Request, out var ownNamespace))
        {
            return Error(401, "The supplied authentication is invalid.");
        }

        ns = ns == "_" ? ownNamespace : ns;
        if (ns != ownNamespace)
        {
            return Error(403, "The supplied authentication is not authorized to access this resource.");
        }

        if (!_triggers.TryGetValue($"{ns}/{name}", out var trigger))
        {
            return Error(404, "The requested resource does not exist.");
        }

        if (HttpMethods.IsGet(context.Request.Method))
        {
            return Results.Json(new JsonObject { ["namespace"] = ns, ["name"] = name, ["version"] = "0.0.1", ["publish"] = false });
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var fire = new FakeFire(JsonNode.Parse(body.ToArray())!, context.Request.Headers.Authorization.ToString(), DateTimeOffset.UtcNow);
        if (trigger.TakeScripted() is { } scripted)
        {
            trigger.Fires.Writer.TryWrite(fire with { AnsweredStatus = scripted.Status });
            if (scripted.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return Error(scripted.Status, scripted.Status == 429 ? "Too many requests in the last minute." : "scripted failure");
        }

        if (!trigger.HasActiveRule)
        {
            trigger.Fires.Writer.TryWrite(fire with { AnsweredStatus = 204 });
            return Results.NoContent();
        }

        var activation = Guid.NewGuid().ToString("N");
        trigger.Fires.Writer.TryWrite(fire with { AnsweredStatus = 202 });
        context.Response.Headers["x-openwhisk-activation-id"] = activation;
        return Results.Json(new JsonObject { ["activationId"] = activation }, statusCode: 202);
    }

    private bool TryAuthenticate(HttpRequest request, out string ns)
    {
        ns = string.Empty;
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var auth) || auth.Scheme != "Basic")
        {
            return false;
        }

        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth.Parameter ?? string.Empty));
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !_keys.TryGetValue(decoded[..colon], out var owner) || owner.Key != decoded[(colon + 1)..])
        {
            return false;
        }

        ns = owner.Namespace;
        return true;
    }

    private static IResult Error(int status, string error) =>
        Results.Json(new JsonObject { ["error"] = error, ["code"] = Guid.NewGuid().ToString("N") }, statusCode: status);
}

/// <summary>A trigger of the fake, with the fires it received.</summary>
public sealed class FakeTrigger(bool hasActiveRule)
{
    private readonly ConcurrentQueue<(int Status, int? RetryAfterSeconds)> _script = new();

    public bool HasActiveRule { get; set; } = hasActiveRule;

    public System.Threading.Channels.Channel<FakeFire> Fires { get; } = System.Threading.Channels.Channel.CreateUnbounded<FakeFire>();

    /// <summary>Answers the next fire with <paramref name="status"/> instead of firing.</summary>
    public void FailNext(int status, int? retryAfterSeconds = null) => _script.Enqueue((status, retryAfterSeconds));

    internal (int Status, int? RetryAfterSeconds)? TakeScripted() => _script.TryDequeue(out var next) ? next : null;

    public async Task<FakeFire> NextFireAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            return await Fires.Reader.ReadAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("the trigger was not fired in time");
        }
    }

    /// <summary>True when no fire arrives within <paramref name="wait"/>.</summary>
    public async Task<bool> StaysQuietAsync(TimeSpan wait)
    {
        using var cancel = new CancellationTokenSource(wait);
        try
        {
            await Fires.Reader.ReadAsync(cancel.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }
}

/// <summary>One fire: the parameters, the Authorization header, when, and what the fake answered.</summary>
public sealed record FakeFire(JsonNode Parameters, string Authorization, DateTimeOffset At, int AnsweredStatus = 0);
