using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Gateway.SpecConformance.Infrastructure;

namespace Gateway.SpecConformance;

/// <summary>
/// Several gateway nodes on one PostgreSQL database (design.md, "Storage"): they share the event log's partitions,
/// every node applies a subscription or service change made on another (the load tool measures how fast), and a node killed mid-stream loses nothing that any
/// node acknowledged.
/// </summary>
public sealed class MultiNodeTests(ConformanceEnvironment env, PostgresCluster cluster, ITestOutputHelper output)
    : IClassFixture<PostgresCluster>
{
    private const int Events = 3000;

    /// <summary>How long a change may take to reach another node before a test fails: far above what it takes.</summary>
    private static readonly TimeSpan ChangeCeiling = TimeSpan.FromSeconds(30);

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
    public async Task Changes_OnOneNode_ApplyOnTheOthers()
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
            var appeared = await TimeUntilStatusAsync(second, $"subscriptions/{id}", HttpStatusCode.OK);

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

            var vanished = await TimeUntilStatusAsync(first, $"subscriptions/{id}", HttpStatusCode.NotFound);

            // Discovery: a service a producer registers through one node is listed by the other.
            var service = Guid.NewGuid().ToString();
            using (var registered = await first.PutAsync($"services/{service}", ServiceJson(service)))
            {
                Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
            }

            var listed = await TimeUntilStatusAsync(second, $"services/{service}", HttpStatusCode.OK);
            output.WriteLine(
                $"created on node 0, served by node 1 after {appeared.TotalMilliseconds:F0} ms; deleted on node 1, gone from node 0 after " +
                $"{vanished.TotalMilliseconds:F0} ms; a service registered on node 0 listed by node 1 after {listed.TotalMilliseconds:F0} ms");
        }
        finally
        {
            await Task.WhenAll(nodes.Select(n => n.DisposeAsync().AsTask()));
        }
    }

    /// <summary>
    /// A node that was not listening when another node made changes (its lease session cut off from the server side)
    /// still applies every one of them once it has joined again: nothing depends on having heard the notification.
    /// </summary>
    [Fact]
    public async Task Changes_MadeWhileANodeIsNotListening_StillReachIt()
    {
        var nodes = await cluster.StartNodesAsync(2);
        try
        {
            using var first = new HttpClient { BaseAddress = nodes[0].BaseAddress };
            using var second = new HttpClient { BaseAddress = nodes[1].BaseAddress };
            var type = GatewayApi.NewType();
            var kept = (await first.CreateSubscriptionAsync(
                $$$"""{"sink":"{{{env.Sink.Url(env.Sink.NewPath())}}}","protocol":"HTTP","types":["{{{type}}}"]}"""))["id"]!.GetValue<string>();
            await TimeUntilStatusAsync(second, $"subscriptions/{kept}", HttpStatusCode.OK);

            // Each change is made while node 1 has no lease session at all (checked after the change committed), so
            // it cannot have heard of it; a cut that node 1 healed too fast to be sure of is made again.
            string? created = null;
            var service = Guid.NewGuid().ToString();
            for (var attempt = 1; created is null; attempt++)
            {
                await PostgresCluster.CutOffListenerAsync(nodes[1]);
                var id = (await first.CreateSubscriptionAsync(
                    $$$"""{"sink":"{{{env.Sink.Url(env.Sink.NewPath())}}}","protocol":"HTTP","types":["{{{type}}}"]}"""))["id"]!.GetValue<string>();
                using (var deleted = await first.DeleteAsync($"subscriptions/{kept}"))
                {
                    Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
                }

                using (var registered = await first.PutAsync($"services/{service}", ServiceJson(service)))
                {
                    Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
                }

                if (!await PostgresCluster.HasLeaseSessionAsync(nodes[1]))
                {
                    created = id;
                }
                else
                {
                    Assert.True(attempt < 10, "node 1 always joined again before the changes were made");
                    kept = id;
                }
            }

            var appeared = await TimeUntilStatusAsync(second, $"subscriptions/{created}", HttpStatusCode.OK);
            var vanished = await TimeUntilStatusAsync(second, $"subscriptions/{kept}", HttpStatusCode.NotFound);
            var listed = await TimeUntilStatusAsync(second, $"services/{service}", HttpStatusCode.OK);
            output.WriteLine(
                $"changes made while node 1 was cut off reached it after it joined again: created {appeared.TotalMilliseconds:F0} ms, " +
                $"deleted {vanished.TotalMilliseconds:F0} ms, service {listed.TotalMilliseconds:F0} ms");
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

    private static StringContent ServiceJson(string id) => GatewayApi.Json($$$"""
        {"id":"{{{id}}}","name":"multi-node-{{{id}}}","specversions":["1.0"],"protocols":["HTTP"],
         "subscriptionurl":"https://producer.example/subscriptions"}
        """);

    /// <summary>
    /// Polls a resource until it answers <paramref name="wanted"/>; returns how long that took. The ceiling is generous
    /// on purpose: how fast a change reaches another node is measured by the load tool (<c>compose/load.sh changes</c>), not
    /// asserted here, and a loaded test machine must not turn a slow answer into a failure.
    /// </summary>
    private static async Task<TimeSpan> TimeUntilStatusAsync(HttpClient client, string path, HttpStatusCode wanted)
    {
        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            using var response = await client.GetAsync(path);
            status = response.StatusCode;
            if (status == wanted)
            {
                return clock.Elapsed;
            }

            await Task.Delay(10);
        }
        while (clock.Elapsed < ChangeCeiling);
        throw new TimeoutException($"{path} still answered {(int)status} after {clock.Elapsed.TotalSeconds:F1} s, not {(int)wanted}");
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
