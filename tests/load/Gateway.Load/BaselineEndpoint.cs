namespace Gateway.Load;

/// <summary>The baseline: a bare ASP.NET Core endpoint that reads the request body and answers 202.</summary>
internal static class BaselineEndpoint
{
    public static async Task RunAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/events", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            return Results.StatusCode(StatusCodes.Status202Accepted);
        });
        app.MapGet("/healthz", () => Results.Ok());
        await app.RunAsync();
    }
}
