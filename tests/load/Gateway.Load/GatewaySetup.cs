using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.Load;

/// <summary>The subscriptions a load run needs, created through the gateway's own API.</summary>
internal static class GatewaySetup
{
    /// <summary>
    /// Subscriptions that the load's events never match. Their sink is the tool's, so each passes the handshake at
    /// start instead of asking again with backoff (and logging) all through the run.
    /// </summary>
    public static async Task CreateNonMatchingAsync(int port, int count, Uri sink, string? apiKey)
    {
        using var client = Client(port, apiKey);
        for (var i = 0; i < count; i++)
        {
            var body = $$"""{"protocol":"HTTP","sink":"{{sink}}","types":["io.gateway.load.other{{i}}"],"filters":[{"prefix":{"subject":"x"} } ]}""";
            using var response = await client.PostAsync("subscriptions", Json(body));
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>The one subscription that matches the end-to-end events; returns once the sink granted consent.</summary>
    public static async Task CreateEndToEndAsync(int port, Uri sink, string? apiKey)
    {
        using var client = Client(port, apiKey);
        var body = $$"""{"protocol":"HTTP","sink":"{{sink}}","types":["{{EndToEnd.EventType}}"],"delivery":{"maxinflight":{{EndToEnd.MaxInFlight}} } }""";
        using var created = await client.PostAsync("subscriptions", Json(body));
        created.EnsureSuccessStatusCode();
        var location = created.Headers.Location ?? throw new InvalidOperationException("201 without a Location");
        for (var i = 0; i < 100; i++)
        {
            var subscription = JsonNode.Parse(await client.GetStringAsync(location));
            if ((string?)subscription?["status"]?["state"] == "active")
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the end-to-end subscription did not become active (did the sink's handshake fail?)");
    }

    private static HttpClient Client(int port, string? apiKey)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
