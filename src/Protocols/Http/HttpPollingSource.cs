using System.Net;
using System.Text.Json;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;

namespace Gateway.Protocols.Http;

/// <summary>
/// Polls one URL. A <c>200</c> whose validators differ from the last ones is a change: the body becomes an event (it
/// is taken as it is when it is a CloudEvent, binary or structured, and wrapped otherwise), and the new validators are
/// saved only after the event is appended, so a crash in between emits the change again rather than never. The
/// first poll of a new source emits the resource as it is then.
/// </summary>
internal sealed class HttpPollingSource(HttpClient client, Uri url, TimeSpan interval, SourceSpec spec) : IEventSource
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public async Task RunAsync(SourceContext context, CancellationToken cancellationToken)
    {
        var validators = Validators.Parse(await context.State.LoadAsync(cancellationToken));
        while (true)
        {
            validators = await PollAsync(context, validators, cancellationToken);
            await Task.Delay(interval, context.Time, cancellationToken);
        }
    }

    private async Task<Validators> PollAsync(SourceContext context, Validators last, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = HttpAuthorization.From(spec.Credential);
            if (last.ETag is { } etag)
            {
                request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            }

            if (last.LastModified is { } lastModified)
            {
                request.Headers.TryAddWithoutValidation("If-Modified-Since", lastModified);
            }

            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            context.Health.Connected();
            var current = new Validators(response.Headers.ETag?.ToString(), response.Content.Headers.LastModified?.ToString("R"));
            // Unchanged: 304, or (a server that ignores the conditions) the same validators as the last change.
            if (response.StatusCode == HttpStatusCode.NotModified
                || (response.IsSuccessStatusCode && (current.ETag ?? current.LastModified) is not null && current == last))
            {
                return last;
            }

            if (!response.IsSuccessStatusCode)
            {
                context.Health.Error($"the poll was answered {(int)response.StatusCode}", context.Time.GetUtcNow());
                return last;
            }

            var cloudEvent = await ToEventAsync(context, response, timeout.Token);
            await context.Appender.AppendAsync([cloudEvent], cancellationToken);
            context.Health.Received(1, context.Time.GetUtcNow());
            await context.State.SaveAsync(current.ToString(), cancellationToken);
            return current;
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The server is unreachable or slow: keep polling; the status shows why nothing comes.
            context.Health.Disconnected(ex.Message, context.Time.GetUtcNow());
            return last;
        }
        finally
        {
            context.Health.Polled(context.Time.GetUtcNow());
        }
    }

    private async Task<CloudEvent> ToEventAsync(SourceContext context, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var (reply, problem) = await HttpReplyReader.ReadAsync(response, cancellationToken);
        if (reply is not null)
        {
            return reply;
        }

        if (problem is not null)
        {
            // It claimed to be a CloudEvent and was not: the change still counts, as a wrapped body.
            context.Health.Error(problem, context.Time.GetUtcNow());
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return MessageWrapper.Wrap(
            spec.Defaults, Guid.NewGuid().ToString(), body, response.Content.Headers.ContentType?.ToString(), context.Time.GetUtcNow(), url.AbsolutePath);
    }

    /// <summary>The validators of the last change seen, kept as the source's state.</summary>
    private sealed record Validators(string? ETag, string? LastModified)
    {
        public static Validators Parse(string? state) =>
            state is null ? new(null, null) : JsonSerializer.Deserialize<Validators>(state) ?? new(null, null);

        public override string ToString() => JsonSerializer.Serialize(this);
    }
}
