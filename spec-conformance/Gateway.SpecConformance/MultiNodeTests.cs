using System.Collections.Concurrent;
using System.Net;
using Gateway.SpecConformance.Infrastructure;

namespace Gateway.SpecConformance;

/// <summary>
/// Several gateway nodes on one PostgreSQL database (design.md, "Storage"): they share the event log's partitions,
/// every node applies a subscription or service change within a second, and a node killed mid-stream loses nothing that any
/// node acknowledged.
/// </summary>
public sealed class MultiNodeTests(ConformanceEnvironment env, PostgresCluster cluster, ITestOutputHelper output)
    : IClassFixture<PostgresCluster>
{
    private const int Events = 3000;

    [Fact]
    public async Task ThreeNodes_OneKilledWithSigkill_EveryAcceptedEventIsDelivered()
    {
        var nodes = await cluster.StartNodesAsync(3);
        try
        {
            await PostgresCluster.WaitUntilBalancedAsync(nodes, TimeSpan.FromSeconds(30));
            var type = GatewayApi.NewType();
            var path = env.Sink.NewPath();
            string id;
            using (var client = new HttpClient { BaseAddress = nodes[0].BaseAddress })
            {
                var created = await client.CreateSubscriptionAsync(
                    $$$"""{"sink":"{{{env.Sink.Url(path)}}}","protocol":"HTTP","types":["{{{type}}}"],"delivery":{"maxinflight":8}}""");
                id = created["id"]!.GetValue<string>();
            }

            foreach (var node in nodes)
            {
                using var client = new HttpClient { BaseAddress = node.BaseAddress };
                await client.WaitForStateAsync(id, "active");
            }

            var accepted = new ConcurrentDictionary<string, byte>();
            var producer = ProduceAsync(nodes, type, accepted);
            while (accepted.Count < Events / 3)
            {
                await Task.Delay(10);
            }

            nodes[1].Kill();
            var takeover = await PostgresCluster.WaitUntilBalancedAsync([nodes[0], nodes[2]], TimeSpan.FromSeconds(10));
            await producer;

            var received = await env.Sink.CollectAsync(
                path, r => accepted.Keys.All(new HashSet<string>(r.Select(x => x.Header("ce-id")!)).Contains), TimeSpan.FromSeconds(90));
            var ids = received.Select(r => r.Header("ce-id")!).ToList();
            var missing = accepted.Keys.Except(ids).ToList();
            output.WriteLine(
                $"accepted {accepted.Count} of {Events} over 3 nodes, received {ids.Count}, duplicates {ids.Count - ids.Distinct().Count()}, " +
                $"missing {missing.Count}; the survivors took the dead node's partitions over in {takeover.TotalSeconds:F1} s");
            Assert.True(accepted.Count >= Events / 2, $"only {accepted.Count} accepted");
            Assert.Empty(missing);
        }
        finally
        {
            await Task.WhenAll(nodes.Select(n => n.DisposeAsync().AsTask()));
        }
    }

    [Fact]
    public async Task Changes_OnOneNode_ApplyOnTheOthersWithinASecond()
    {
        var nodes = await cluster.StartNodesAsync(2);
        try
        {
            using var first = new HttpClient { BaseAddress = nodes[0].BaseAddress };
            using var second = new HttpClient { BaseAddress = nodes[1].BaseAddress };
            var type = GatewayApi.NewType();
            var path = env.Sink.NewPath();
            var created = await first.CreateSubscriptionAsync(
                $$$"""{"sink":"{{{env.Sink.Url(path)}}}","protocol":"HTTP","types":["{{{type}}}"]}""");
            var id = created["id"]!.GetValue<string>();
            Assert.Equal(HttpStatusCode.OK, await StatusWithinASecondAsync(second, $"subscriptions/{id}", HttpStatusCode.OK));

            // The other node delivers what it accepts to the subscription it learned of.
            await second.WaitForStateAsync(id, "active");
            using (var response = await second.PostBinaryEventAsync("across-1", type))
            {
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            }

            var delivered = await env.Sink.NextAsync(path);
            Assert.Equal("across-1", delivered.Header("ce-id"));

            using (var deleted = await second.DeleteAsync($"subscriptions/{id}"))
            {
                Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            }

            Assert.Equal(HttpStatusCode.NotFound, await StatusWithinASecondAsync(first, $"subscriptions/{id}", HttpStatusCode.NotFound));

            // Discovery: a service a producer registers through one node is listed by the other.
            var service = Guid.NewGuid().ToString();
            using (var registered = await first.PutAsync($"services/{service}", GatewayApi.Json($$$"""
                {"id":"{{{service}}}","name":"multi-node-{{{service}}}","specversions":["1.0"],"protocols":["HTTP"],
                 "subscriptionurl":"https://producer.example/subscriptions"}
                """)))
            {
                Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
            }

            Assert.Equal(HttpStatusCode.OK, await StatusWithinASecondAsync(second, $"services/{service}", HttpStatusCode.OK));
        }
        finally
        {
            await Task.WhenAll(nodes.Select(n => n.DisposeAsync().AsTask()));
        }
    }

    [Fact]
    public async Task ADatabaseOutage_WhileEventsWaitForRetry_LosesNothing()
    {
        var node = (await cluster.StartNodesAsync(1))[0];
        try
        {
            using var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            var type = GatewayApi.NewType();
            var path = env.Sink.NewPath(new SinkBehavior(Status: 503));
            var created = await client.CreateSubscriptionAsync($$$"""
                {"sink":"{{{env.Sink.Url(path)}}}","protocol":"HTTP","types":["{{{type}}}"],
                 "delivery":{"retry":1000,"backoffdelay":"PT0.2S","backoffmax":"PT1S","maxinflight":4}}
                """);
            await client.WaitForStateAsync(created["id"]!.GetValue<string>(), "active");
            var sent = new List<string>();
            await SendAsync(client, type, "before", 40, sent);
            await env.Sink.CollectAsync(path, r => r.Count >= 40, TimeSpan.FromSeconds(20));

            // The retries wait in PostgreSQL while it goes away; the retry pumps and the dispatcher must outlive it.
            await cluster.Server.RestartAsync(TimeSpan.FromSeconds(3));
            env.Sink.SetBehavior(path, new SinkBehavior());
            await SendAsync(client, type, "after", 40, sent);

            var delivered = new HashSet<string>();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (!sent.All(delivered.Contains) && DateTime.UtcNow < deadline)
            {
                var batch = await env.Sink.CollectAsync(path, r => r.Count > 0, TimeSpan.FromSeconds(2));
                delivered.UnionWith(batch.Where(r => r.AnsweredStatus == 202).Select(r => r.Header("ce-id")!));
            }

            Assert.Empty(sent.Except(delivered));
        }
        finally
        {
            output.WriteLine(node.Output);
            await node.DisposeAsync();
        }
    }

    /// <summary>
    /// Sends events until each is acknowledged: a producer tries again what was not (the gateway's first append
    /// after the database came back may fail on a connection the outage broke).
    /// </summary>
    private static async Task SendAsync(HttpClient client, string type, string prefix, int count, List<string> sent)
    {
        for (var i = 0; i < count; i++)
        {
            var id = $"{prefix}-{i}";
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (true)
            {
                using var response = await client.PostBinaryEventAsync(id, type);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, $"{id} was never acknowledged: {(int)response.StatusCode}");
                await Task.Delay(200);
            }

            sent.Add(id);
        }
    }

    /// <summary>Polls a resource for one second; the last status seen.</summary>
    private static async Task<HttpStatusCode> StatusWithinASecondAsync(HttpClient client, string path, HttpStatusCode wanted)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(1);
        HttpStatusCode status;
        do
        {
            using var response = await client.GetAsync(path);
            status = response.StatusCode;
        }
        while (status != wanted && DateTime.UtcNow < deadline);
        return status;
    }

    /// <summary>Sends events to the nodes in turn; a node that stopped answering is left out from then on.</summary>
    private static async Task ProduceAsync(GatewayProcess[] nodes, string type, ConcurrentDictionary<string, byte> accepted)
    {
        var clients = nodes.Select(n => new HttpClient { BaseAddress = n.BaseAddress, Timeout = TimeSpan.FromSeconds(10) }).ToArray();
        var dead = new bool[nodes.Length];
        var next = -1;
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, 8), async (_, _) =>
            {
                int n;
                while ((n = Interlocked.Increment(ref next)) < Events)
                {
                    var target = n % clients.Length;
                    if (Volatile.Read(ref dead[target]))
                    {
                        target = Array.FindIndex(dead, d => !d);
                    }

                    try
                    {
                        using var response = await clients[target].PostBinaryEventAsync($"node-{n}", type);
                        if (response.StatusCode == HttpStatusCode.Accepted)
                        {
                            accepted.TryAdd($"node-{n}", 0);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        // Killed: this event was never acknowledged, and the node gets no more.
                        Volatile.Write(ref dead[target], true);
                    }
                }
            });
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }
}
