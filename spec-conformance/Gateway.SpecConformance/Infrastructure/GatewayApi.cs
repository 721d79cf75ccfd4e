using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.SpecConformance.Infrastructure;

/// <summary>Small helpers for talking to the gateway's APIs.</summary>
public static class GatewayApi
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Creates a subscription and returns its JSON; fails the test unless the answer is 201.</summary>
    public static async Task<JsonObject> CreateSubscriptionAsync(this HttpClient client, string json)
    {
        using var response = await client.PostAsync("subscriptions", Json(json));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"create answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Polls a subscription until its status state is <paramref name="state"/>.</summary>
    public static async Task<JsonObject> WaitForStateAsync(this HttpClient client, string id, string state, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        JsonObject? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = JsonNode.Parse(await client.GetStringAsync($"subscriptions/{id}"))!.AsObject();
            if (last["status"]?["state"]?.GetValue<string>() == state)
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"subscription {id} did not reach state {state}; last: {last}");
    }

    /// <summary>Polls a subscription's status until <paramref name="condition"/> holds (30 s at most); returns the last one.</summary>
    public static async Task<JsonNode> StatusWhenAsync(this HttpClient client, string id, Func<JsonNode, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        JsonNode status;
        do
        {
            status = JsonNode.Parse(await client.GetStringAsync($"subscriptions/{id}"))!["status"]!;
            if (condition(status))
            {
                return status;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        return status;
    }

    /// <summary>Posts one binary-mode event with the given id, type and extra ce- headers.</summary>
    public static async Task<HttpResponseMessage> PostBinaryEventAsync(
        this HttpClient client, string id, string type, string source = "/conformance", string? data = "{\"n\":1}",
        IReadOnlyDictionary<string, string>? headers = null, string path = "events")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.TryAddWithoutValidation("ce-specversion", "1.0");
        request.Headers.TryAddWithoutValidation("ce-id", id);
        request.Headers.TryAddWithoutValidation("ce-source", source);
        request.Headers.TryAddWithoutValidation("ce-type", type);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (data is not null)
        {
            request.Content = new StringContent(data, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        return await client.SendAsync(request);
    }

    public static string NewType() => "io.gateway.conformance." + Guid.NewGuid().ToString("N");
}
