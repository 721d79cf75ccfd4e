using System.Net;
using System.Text;
using Gateway.SpecConformance.Infrastructure;

namespace Gateway.SpecConformance;

/// <summary>
/// A credential given to the gateway is used, survives a restart, and appears nowhere else: not in
/// any answer, not in the log (at Debug), not in any file of the data directory.
/// </summary>
public sealed class SecretsAtRestTests(ConformanceEnvironment env)
{
    [Fact]
    public async Task A_PlantedSecret_IsUsed_SurvivesARestart_AndIsFoundNowhere()
    {
        var planted = "planted-" + Guid.NewGuid().ToString("N");
        var deadLetterToken = "planted-token-" + Guid.NewGuid().ToString("N");
        var path = env.Sink.NewPath();
        var type = GatewayApi.NewType();
        var settings = new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Debug" };
        var output = new StringBuilder();
        var dataDirectory = Directory.CreateTempSubdirectory("gateway-secrets-").FullName;
        string id;
        var answers = new StringBuilder();
        await using (var gateway = await GatewayProcess.StartAsync(dataDirectory, settings))
        {
            using var client = new HttpClient { BaseAddress = gateway.BaseAddress };
            var created = await client.CreateSubscriptionAsync($$$$$"""
                {"protocol":"HTTP","sink":"{{{{{env.Sink.Url(path)}}}}}","types":["{{{{{type}}}}}"],
                 "sinkcredential":{"credentialtype":"PLAIN","identifier":"gw","secret":"{{{{{planted}}}}}"},
                 "delivery":{"deadletter":{"protocol":"HTTP","sink":"{{{{{env.Sink.Url(env.Sink.NewPath())}}}}}",
                   "sinkcredential":{"credentialtype":"ACCESSTOKEN","accesstoken":"{{{{{deadLetterToken}}}}}","accesstokenexpiresutc":"2099-01-01T00:00:00Z"}}}}
                """);
            id = created["id"]!.GetValue<string>();
            answers.Append(created.ToJsonString());
            using var posted = await client.PostBinaryEventAsync("s-1", type);
            var first = await env.Sink.NextAsync(path);

            Assert.Equal($"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes($"gw:{planted}"))}", first.Header("Authorization"));
            answers.Append(await client.GetStringAsync($"subscriptions/{id}")).Append(await client.GetStringAsync("subscriptions"));
            await gateway.StopAsync();
            output.Append(gateway.Output);
        }

        await using (var restarted = await GatewayProcess.StartAsync(dataDirectory, settings))
        {
            using var client = new HttpClient { BaseAddress = restarted.BaseAddress };
            using var posted = await client.PostBinaryEventAsync("s-2", type);
            var second = await env.Sink.NextAsync(path);

            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
            Assert.Equal($"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes($"gw:{planted}"))}", second.Header("Authorization"));
            answers.Append(await client.GetStringAsync($"subscriptions/{id}"));
            await restarted.StopAsync();
            output.Append(restarted.Output);
        }

        foreach (var secret in new[] { planted, deadLetterToken })
        {
            Assert.DoesNotContain(secret, answers.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, output.ToString(), StringComparison.Ordinal);
            foreach (var file in Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories))
            {
                var bytes = await File.ReadAllBytesAsync(file);
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"{secret} found in {file}");
            }
        }

        // The log searched was the verbose one: Debug lines are in it.
        Assert.Contains("dbug:", output.ToString(), StringComparison.Ordinal);
    }
}
