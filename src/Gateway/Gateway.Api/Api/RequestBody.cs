using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Protocols.CloudEvents.Json;

namespace Gateway.Api;

/// <summary>Reads request bodies within the configured cap, turning oversize and malformed input into 4xx answers.</summary>
internal static class RequestBody
{
    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false };

    /// <summary>The whole body, or a 413 problem when it is larger than Kestrel's limit, or a 400 when it ended early.</summary>
    public static async Task<(byte[]? Body, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            using var buffer = new MemoryStream(request.ContentLength is > 0 and < int.MaxValue ? (int)request.ContentLength : 1024);
            await request.Body.CopyToAsync(buffer, cancellationToken);
            return (buffer.ToArray(), null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            var limit = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
            return (null, Problems.Invalid("body", $"the body is larger than the {limit} bytes this gateway accepts", "Request body too large", StatusCodes.Status413PayloadTooLarge));
        }
        catch (BadHttpRequestException ex)
        {
            // The client went away mid-body (or sent less than its Content-Length): a client error, nothing accepted.
            return (null, Problems.Invalid("body", ex.Message, "Incomplete request body", ex.StatusCode));
        }
    }

    /// <summary>The body as a JSON node, or a 4xx problem.</summary>
    public static async Task<(JsonNode? Json, IResult? Problem)> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (body, problem) = await ReadAsync(request, cancellationToken);
        return problem is not null ? (null, problem) : ParseJson(body!);
    }

    /// <summary>A JSON body as the management endpoints read it, or a 400 problem (the fuzz harness drives this too).</summary>
    public static (JsonNode? Json, IResult? Problem) ParseJson(byte[] body)
    {
        if (JsonText.FindFault(body) is { } fault)
        {
            return (null, Problems.Invalid("$", fault, "Malformed JSON body"));
        }

        try
        {
            // A member named twice is refused here: JsonNode would otherwise throw on first access, far from the
            // request, and answer 500.
            return (JsonNode.Parse(body, documentOptions: StrictJson), null);
        }
        catch (JsonException ex)
        {
            return (null, Problems.Invalid("$", $"malformed JSON: {ex.Message}", "Malformed JSON body"));
        }
    }
}
