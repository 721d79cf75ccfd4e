using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Testing;

namespace Gateway.Load;

/// <summary>
/// How long a subscription change made on one node takes to reach another node on the same PostgreSQL database
/// (design.md: "within one second across nodes"). Starts a throwaway PostgreSQL and two gateway nodes, makes
/// <c>count</c> creates and deletes on node A one at a time, and times each from A's answer until node B answers
/// the same (polling B every millisecond or so). Prints the percentiles; the tests only check that changes arrive.
/// </summary>
internal static class ChangePropagation
{
    private static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length == 2 && args[0] == "--changes"
            ? int.Parse(args[1], CultureInfo.InvariantCulture)
            : args.Length == 0 ? 200 : throw new ArgumentException("usage: gateway-load changes [--changes 200]");
        await using var postgres = await PostgresServer.StartAsync();
        await postgres.CreateDatabaseAsync("gateway_changes");
        var work = Directory.CreateTempSubdirectory("gateway-changes-");
        var ports = new[] { LocalServer.FreePort(), LocalServer.FreePort() };
        var nodes = ports.Select((port, n) => ChildProcess.Start(Path.Combine(AppContext.BaseDirectory, "Gateway.dll"), work.FullName,
            "--urls", $"http://127.0.0.1:{port}",
            "--Gateway:Storage=postgres",
            $"--Gateway:NodeName=node-{n}",
            $"--ConnectionStrings:Gateway={postgres.ConnectionString("gateway_changes")}",
            "--Logging:LogLevel:Default=Warning",
            // The sink never answers by design; its consent retries are not what this measures.
            "--Logging:LogLevel:Gateway.Delivery=Error")).ToArray();
        try
        {
            foreach (var port in ports)
            {
                await ChildProcess.WaitReadyAsync(port);
            }

            using var a = Client(ports[0]);
            using var b = Client(ports[1]);
            var created = new List<TimeSpan>(count);
            var deleted = new List<TimeSpan>(count);
            for (var i = 0; i < count; i++)
            {
                // A sink nobody listens on: the subscription stays pending-validation, which is all this needs.
                var body = $$"""{"protocol":"HTTP","sink":"http://127.0.0.1:9/changes","types":["io.gateway.load.change{{i}}"]}""";
                using var response = await a.PostAsync("subscriptions", new StringContent(body, Encoding.UTF8, "application/json"));
                response.EnsureSuccessStatusCode();
                var id = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
                created.Add(await UntilAsync(b, id, HttpStatusCode.OK));
                using var deleting = await a.DeleteAsync($"subscriptions/{id}");
                deleting.EnsureSuccessStatusCode();
                deleted.Add(await UntilAsync(b, id, HttpStatusCode.NotFound));
            }

            Console.WriteLine($"change propagation between two nodes on one PostgreSQL, {count} creates and {count} deletes made on node A, one at a time");
            Print("create, until node B serves it", created);
            Print("delete, until node B answers 404", deleted);
            var late = created.Concat(deleted).Count(t => t > TimeSpan.FromSeconds(1));
            Console.WriteLine($"over one second (design.md's bound): {late} of {2 * count}");
            return late == 0 ? 0 : 1;
        }
        finally
        {
            foreach (var node in nodes)
            {
                node.Kill(entireProcessTree: true);
                node.WaitForExit(5000);
                node.Dispose();
            }

            work.Delete(recursive: true);
        }
    }

    /// <summary>Polls node B for the subscription until it answers <paramref name="wanted"/>; the time that took.</summary>
    private static async Task<TimeSpan> UntilAsync(HttpClient client, string id, HttpStatusCode wanted)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Ceiling)
        {
            using var response = await client.GetAsync($"subscriptions/{id}");
            if (response.StatusCode == wanted)
            {
                return clock.Elapsed;
            }
        }

        throw new TimeoutException($"node B did not answer {(int)wanted} for subscription {id} within {Ceiling}");
    }

    private static void Print(string what, List<TimeSpan> times)
    {
        var sorted = times.Order().ToList();
        string At(double q) => sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(q * sorted.Count))].TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture);
        Console.WriteLine($"{what,-34} p50 {At(0.5),7} ms   p95 {At(0.95),7} ms   p99 {At(0.99),7} ms   max {sorted[^1].TotalMilliseconds,7:F1} ms");
    }

    private static HttpClient Client(int port) =>
        new() { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
}
