using System.Text;
using System.Text.Json.Nodes;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Json;
using Gateway.Storage.Secrets;
using Gateway.Subscriptions;
using Microsoft.AspNetCore.DataProtection;

namespace Gateway.Tests.Storage;

/// <summary>Events, subscriptions and times the contract tests store.</summary>
internal static class StoreData
{
    /// <summary>Seals credentials as the gateway does, with keys that live as long as the test run.</summary>
    public static readonly StoredSecrets Secrets = new(new EphemeralDataProtectionProvider());

    /// <summary>A fixed time with milliseconds, the precision both stores keep.</summary>
    public static readonly DateTimeOffset T0 = new(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    /// <summary>
    /// A stored subscription document with every member set. The nested objects list their keys longest first and not
    /// alphabetically, which a store that normalizes JSON (PostgreSQL's jsonb) reorders: the document must still come
    /// back equal as JSON, since the subscription manager compares stored forms to see whether a subscription changed.
    /// </summary>
    public const string RichDocument = """
        {"id":"sub-rich","source":"/orders","types":["com.example.created","com.example.deleted"],
         "config":{"zz-long-setting":"x","a":{"yy-nested":true,"b":[3,1,2]}},
         "filters":[{"prefix":{"type":"com.example."}},{"not":{"exact":{"subject":"skip"}}}],
         "sink":"http://127.0.0.1:9/sink","protocol":"HTTP",
         "protocolsettings":{"headers":{"x-long-header-name":"1","x-a":"2"},"method":"PUT"},
         "sinkcredential":{"credentialtype":"ACCESSTOKEN","accesstoken":"secret-token","accesstokentype":"Bearer"},
         "delivery":{"retry":3,"backoffpolicy":"linear","backoffdelay":"PT2S","backoffmax":"PT1M","timeout":"PT10S",
                     "retryaftermax":"PT5M","ttl":"PT1H","maxinflight":4,
                     "deadletter":{"protocol":"HTTP","sink":"http://127.0.0.1:9/dead","protocolsettings":{"method":"POST"}}}}
        """;

    /// <summary>An event; odd-numbered ones carry opaque bytes (JSON's data_base64), even ones JSON data.</summary>
    public static CloudEvent Event(string id, int n = 0)
    {
        var builder = new CloudEventBuilder()
            .Set("specversion", "1.0").Set("id", id).Set("source", "/tests/store").Set("type", "com.example.stored")
            .Set("subject", $"item-{n}").Set("partitionkey", $"key-{n % 3}");
        return (n % 2 == 0
            ? builder.Set("datacontenttype", "application/json")
                .SetData(CloudEventData.FromJson(Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","n":{{n}}}""")))
            : builder.Set("datacontenttype", "application/octet-stream")
                .SetData(CloudEventData.FromBytes(new byte[] { 0, 255, (byte)n, 10, 13 })))
            .Build();
    }

    /// <summary>Events e-{prefix}-0 … e-{prefix}-(count−1).</summary>
    public static CloudEvent[] Events(int count, string prefix = "a") =>
        [.. Enumerable.Range(0, count).Select(i => Event($"e-{prefix}-{i}", i))];

    /// <summary>The event in the JSON format: equal text means the same attributes and the same data bytes.</summary>
    public static string Json(CloudEvent cloudEvent) => Encoding.UTF8.GetString(JsonEventFormat.ToUtf8Bytes(cloudEvent));

    /// <summary>A minimal subscription.</summary>
    public static Subscription Subscription(string id, string sink = "http://127.0.0.1:9/sink") => new()
    {
        Id = id,
        Sink = sink,
        Protocol = "HTTP",
        ProtocolSettings = new JsonObject { ["method"] = "POST" },
    };

    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static long? Ms(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();
}
