using System.Collections.Concurrent;
using System.Net;
using Gateway.SpecConformance.Infrastructure;

namespace Gateway.SpecConformance;

/// <summary>
/// At-least-once delivery (design.md, "Data flow"): every event that got a 202 reaches the sink, through a hard
/// crash of the gateway and through a sink that is down for a while.
/// </summary>
public sealed class CrashSafetyTests(ConformanceEnvironment env, ITestOutputHelper output)
{
    private const int Events = 3000;

    [Fact]
    public async Task KillMinus9_InTheMiddleOfAStream_LosesNoAcceptedEvent()
    {
        var type = GatewayApi.NewType();
        var path = env.Sink.NewPath();
        var gateway = await GatewayProcess.StartAsync();
        var dataDirectory = gateway.DataDirectory;
        using (var client = new HttpClient { BaseAddress = gateway.BaseAddress })
        {
            var created = await client.CreateSubscriptionAsync(
                $$$"""{"sink":"{{{env.Sink.Url(path)}}}","protocol":"HTTP","types":["{{{type}}}"],"delivery":{"maxinflight":8}}""");
            await client.WaitForStateAsync(created["id"]!.GetValue<string>(), "active");
        }

        var accepted = new ConcurrentDictionary<string, byte>();
        var producer = ProduceAsync(gateway.BaseAddress, type, accepted);
        while (accepted.Count < Events / 3)
        {
            await Task.Delay(10);
        }

        gateway.Kill();
        await producer;
        await gateway.DisposeAsync();
        await using var restarted = await GatewayProcess.StartAsync(dataDirectory);
        var received = await env.Sink.CollectAsync(
            path, r => accepted.Keys.All(new HashSet<string>(r.Select(x => x.Header("ce-id")!)).Contains), TimeSpan.FromSeconds(90));

        var ids = received.Select(r => r.Header("ce-id")!).ToList();
        var missing = accepted.Keys.Except(ids).ToList();
        output.WriteLine($"accepted {accepted.Count} of {Events}, received {ids.Count}, duplicates {ids.Count - ids.Distinct().Count()}, missing {missing.Count}");
        Assert.True(accepted.Count >= Events / 3);
        Assert.Empty(missing);
    }

    [Fact]
    public async Task SinkDownForAWhile_LosesNothing_WhenItReturns()
    {
        var type = GatewayApi.NewType();
        var path = env.Sink.NewPath(new SinkBehavior(Status: 503));
        var created = await env.Client.CreateSubscriptionAsync($$$"""
            {"sink":"{{{env.Sink.Url(path)}}}","protocol":"HTTP","types":["{{{type}}}"],
             "delivery":{"retry":1000,"backoffdelay":"PT0.2S","backoffmax":"PT1S","maxinflight":4}}
            """);
        await env.Client.WaitForStateAsync(created["id"]!.GetValue<string>(), "active");

        var sent = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            using var response = await env.Client.PostBinaryEventAsync($"down-{i}", type);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            sent.Add($"down-{i}");
        }

        await env.Sink.CollectAsync(path, r => r.Count >= 200, TimeSpan.FromSeconds(10));
        env.Sink.SetBehavior(path, new SinkBehavior());
        var delivered = new HashSet<string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!sent.All(delivered.Contains) && DateTime.UtcNow < deadline)
        {
            var batch = await env.Sink.CollectAsync(path, r => r.Count > 0, TimeSpan.FromSeconds(2));
            // Requests the sink answered with 503 while it was down do not count.
            delivered.UnionWith(batch.Where(r => r.AnsweredStatus == 202).Select(r => r.Header("ce-id")!));
        }

        Assert.Empty(sent.Except(delivered));
    }

    private static async Task ProduceAsync(Uri gateway, string type, ConcurrentDictionary<string, byte> accepted)
    {
        using var client = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(10) };
        var next = -1;
        var failures = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, 8), async (_, _) =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < Events && Volatile.Read(ref failures) < 50)
            {
                try
                {
                    using var response = await client.PostBinaryEventAsync($"crash-{n}", type);
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        accepted.TryAdd($"crash-{n}", 0);
                    }
                }
                catch (HttpRequestException)
                {
                    // The gateway is gone; those events were never acknowledged.
                    Interlocked.Increment(ref failures);
                }
            }
        });
    }
}
