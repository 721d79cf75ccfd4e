using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Gateway.SpecConformance.Infrastructure;

/// <summary>Helpers for the gateway's <c>/sources</c> API.</summary>
public static class SourcesApi
{
    /// <summary>Creates a source and returns the realized object; fails the test unless the answer is 201.</summary>
    public static async Task<JsonObject> CreateSourceAsync(this HttpClient client, string json)
    {
        using var response = await client.PostAsync("sources", GatewayApi.Json(json));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Polls a source's status until <paramref name="condition"/> holds; fails the test after <paramref name="timeout"/>.</summary>
    public static async Task<JsonNode> SourceStatusWhenAsync(this HttpClient client, string id, Func<JsonNode, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = (await client.GetFromJsonAsync<JsonObject>($"sources/{id}"))!["status"]!;
            if (condition(status))
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the source's status stayed {status.ToJsonString()}");
            await Task.Delay(50);
        }
    }
}
