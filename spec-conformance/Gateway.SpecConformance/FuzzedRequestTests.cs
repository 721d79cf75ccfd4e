using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.SpecConformance.Infrastructure;
using Gateway.Testing;

namespace Gateway.SpecConformance;

/// <summary>
/// Mutated requests to every endpoint that reads untrusted bytes: whatever arrives, the answer is
/// a 2xx or a 4xx, never a 5xx, and the gateway keeps answering. Bounded: a fixed number of seeded cases per seed
/// input, against a gateway of the class's own so that what the mutations create stays out of the other tests.
/// </summary>
public sealed class FuzzedRequestTests(OwnGateway own) : IClassFixture<OwnGateway>
{
    // FUZZ_CASES=5000 runs a deeper search locally; the suite's default keeps the run to seconds.
    private static readonly int CasesPerSeed =
        int.TryParse(Environment.GetEnvironmentVariable("FUZZ_CASES"), out var cases) && cases > 0 ? cases : 150;

    private const string Event =
        """{"specversion":"1.0","id":"e-1","source":"/fuzz/producer","type":"fuzz.created","subject":"a/b","time":"2026-12-07T10:00:00.123456789Z","datacontenttype":"application/json","dataschema":"https://example.com/s","data":{"n":[1,2.5,"x",null,true],"o":{"k":"é✓"}},"fuzzext":"v","count":42}""";

    private const string Base64Event =
        """{"specversion":"1.0","id":"e-2","source":"/fuzz/producer","type":"fuzz.bytes","datacontenttype":"application/octet-stream","data_base64":"AAECAwQFBgc="}""";

    private const string Subscription =
        """{"protocol":"HTTP","sink":"http://127.0.0.1:9/hook","source":"/fuzz","types":["fuzz.created"],"filters":[{"all":[{"prefix":{"type":"fuzz."}},{"suffix":{"subject":"/b"}},{"not":{"exact":{"source":"/other"}}}]},{"any":[{"exact":{"fuzzext":"v"}},{"sql":"type LIKE 'fuzz.%' AND (count > 3 OR EXISTS fuzzext) AND UPPER(subject) <> 'X'"}]}],"delivery":{"retry":2,"backoffpolicy":"linear","backoffdelay":"PT0.5S","backoffmax":"PT1M","timeout":"PT10S","ttl":"P1DT2H","maxinflight":2,"deadletter":{"protocol":"HTTP","sink":"http://127.0.0.1:9/dead"}},"protocolsettings":{"method":"POST","headers":{"x-a":"b"}}}""";

    private const string Timer =
        """{"protocol":"HTTP","sink":"http://127.0.0.1:9/tick","config":{"cron":"0 9 * * MON-FRI","timezone":"Europe/Berlin","data":{"report":"daily"}}}""";

    private const string Services =
        """[{"name":"fuzz","epoch":1,"url":"http://127.0.0.1:9/","protocols":["HTTP"],"events":[{"type":"fuzz.created","description":"d"}]}]""";

    public static TheoryData<string, string, string, int> Seeds => new()
    {
        { "events", "application/cloudevents+json", Event, 1 },
        { "events", "application/cloudevents+json", Base64Event, 2 },
        { "events", "application/cloudevents-batch+json", $"[{Event},{Base64Event}]", 3 },
        { "subscriptions", "application/json", Subscription, 4 },
        { "subscriptions", "application/json", Timer, 5 },
        { "services", "application/json", Services, 6 },
        { "sources", "application/json", """{"protocol":"HTTP","address":"http://127.0.0.1:9/feed","protocolsettings":{"interval":"PT30S"},"defaults":{"type":"fuzz.polled","source":"/fuzz/poll"}}""", 7 },
        { "openwhisk/feed", "application/json", """{"lifecycleEvent":"CREATE","triggerName":"/ns/t","authKey":"u:p","filters":[{"prefix":{"type":"a"}}]}""", 8 },
    };

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task MutatedJsonBodies_NeverAnswer5xx(string path, string contentType, string seedBody, int seed)
    {
        var (gateway, client) = (own.Process, own.Client);
        var mutator = new ByteMutator(seed);
        var seedBytes = Encoding.UTF8.GetBytes(seedBody);
        for (var index = 0; index < CasesPerSeed; index++)
        {
            var body = mutator.Mutate(seedBytes);
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            using var response = await client.PostAsync(path, content);
            AssertNo5xx(response, await response.Content.ReadAsStringAsync(), seed, index, Convert.ToBase64String(body), gateway);
        }
    }

    [Fact]
    public async Task MutatedBinaryModeHeaders_NeverAnswer5xx()
    {
        var (gateway, client) = (own.Process, own.Client);
        var mutator = new ByteMutator(seed: 9);
        (string Name, string Value)[] headers =
        [
            ("ce-specversion", "1.0"), ("ce-id", "b-1"), ("ce-source", "/fuzz/binary"), ("ce-type", "fuzz.binary"),
            ("ce-time", "2026-12-07T10:00:00.5+01:00"), ("ce-subject", "a%20b%C3%A9"), ("ce-dataschema", "https://example.com/s"),
            ("ce-fuzzext", "v"), ("Content-Type", "application/json; charset=utf-8"),
        ];
        for (var index = 0; index < CasesPerSeed * 2; index++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "events")
            {
                Content = new ByteArrayContent(mutator.Mutate("""{"a":"b"}"""u8.ToArray())),
            };
            var mutated = mutator.Next(headers.Length);
            var sent = new StringBuilder();
            for (var at = 0; at < headers.Length; at++)
            {
                var (name, value) = headers[at];
                var text = at == mutated || index % 5 == 0 ? mutator.MutateHeader(value) : value;
                var added = name == "Content-Type"
                    ? request.Content.Headers.TryAddWithoutValidation(name, text)
                    : request.Headers.TryAddWithoutValidation(name, text);
                sent.Append(added ? $"{name}: {text}\n" : string.Empty);
            }

            using var response = await client.SendAsync(request);
            AssertNo5xx(response, await response.Content.ReadAsStringAsync(), 9, index, sent.ToString(), gateway);
        }
    }

    private static void AssertNo5xx(HttpResponseMessage response, string answer, int seed, int index, string input, GatewayProcess gateway)
    {
        var status = (int)response.StatusCode;
        Assert.True(
            status < 500,
            $"seed {seed}, case {index}: {status} for input {input}\nanswer: {answer}\ngateway output:\n{gateway.Output}");
        Assert.NotEqual(HttpStatusCode.RequestTimeout, response.StatusCode);
    }
}
