using System.Collections.Frozen;
using System.Text;
using Gateway.Api;
using Gateway.Delivery;
using Gateway.Filters;
using Gateway.Filters.Cesql;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Http;
using Gateway.Protocols.CloudEvents.Json;
using Gateway.Protocols.Http;
using Gateway.Protocols.Kafka;
using Gateway.Protocols.Mqtt;
using Gateway.Protocols.Nats;
using Gateway.Subscriptions;
using Gateway.Timers;
using MQTTnet;
using NATS.Client.Core;

namespace Gateway.Fuzz;

/// <summary>
/// Every parser that sees untrusted bytes, as a fuzz target: it may refuse the input with its
/// documented exception (a 4xx, a dead letter or a wrapped message in the product), and must do nothing else. Any
/// other exception, a crash or a hang is a finding. compose/fuzz.sh runs them under afl-fuzz; FuzzTargetTests runs
/// them in the suite over the seed corpus and seeded mutations.
/// </summary>
public static class FuzzTargets
{
    // Lazy: SharpFuzz's instrumented assemblies may run only inside Fuzzer.Run, once afl's shared memory is mapped;
    // a static initializer that parsed here would crash the fork server before the first input.
    private static readonly Lazy<CloudEvent> SampleEvent = new(() => JsonEventFormat.Parse(
        """{"specversion":"1.0","id":"1","source":"/fuzz","type":"t.created","subject":"a/b","count":3,"flag":true,"data":{"n":1}}"""u8));

    private static readonly Lazy<SubscriptionValidator> Validator = new(() => new SubscriptionValidator(
        new ProtocolRegistry(
        [
            new HttpProtocolBinding(new HttpDeliveryOptions { Guard = new OutboundGuard(false) }),
            new MqttProtocolBinding(MqttVersion.V311, new OutboundGuard(false)),
            new MqttProtocolBinding(MqttVersion.V500, new OutboundGuard(false)),
            new NatsProtocolBinding(new OutboundGuard(false)),
            new KafkaProtocolBinding(libraryPath: null, new OutboundGuard(false)),
        ]),
        new FilterCompiler([.. FilterCompiler.RequiredDialects, new CesqlDialect()])));

    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>
    {
        ["structured"] = input => Refusing<CloudEventFormatException>(() => JsonEventFormat.Parse(input)),
        ["batch"] = input => Refusing<CloudEventFormatException>(() => JsonEventFormat.ParseBatch(input)),
        ["binary"] = Binary,
        ["cesql"] = Cesql,
        ["duration"] = input => IsoDuration.TryParse(Text(input), out _),
        ["cron"] = input => VixieCronExpression.Parse(Text(input), out _),
        ["subscription"] = Subscription,
        ["mqtt"] = Mqtt,
        ["nats"] = Nats,
        ["kafka"] = Kafka,
    }.ToFrozenDictionary();

    /// <summary>Header lines (<c>name: value</c>), an empty line, then the body: an HTTP request in binary mode.</summary>
    private static void Binary(byte[] input)
    {
        var (headers, body) = Split(input);
        Refusing<CloudEventFormatException>(() => HttpBinding.DecodeBinary(
            headers.FirstOrDefault(h => h.Key.Equals("content-type", StringComparison.OrdinalIgnoreCase)).Value, headers, body));
    }

    private static void Cesql(byte[] input)
    {
        CesqlExpression expression;
        try
        {
            expression = CesqlExpression.Compile(Text(input));
        }
        catch (CesqlCompileException)
        {
            return;
        }

        // Evaluation reports its errors beside the value (CESQL's error handling); it never throws.
        expression.Evaluate(SampleEvent.Value, out _);
    }

    /// <summary>A subscription body as <c>POST /subscriptions</c> reads and validates it.</summary>
    private static void Subscription(byte[] input)
    {
        if (RequestBody.ParseJson(input) is ({ } json, null))
        {
            Validator.Value.Validate(json, "fuzz", keptCredential: null, []);
        }
    }

    /// <summary>User properties (<c>name: value</c>), an empty line, then the payload of an MQTT 5 PUBLISH.</summary>
    private static void Mqtt(byte[] input)
    {
        var (properties, payload) = Split(input);
        var message = new MqttApplicationMessageBuilder().WithTopic("fuzz/t").WithPayload(payload)
            .WithContentType(properties.FirstOrDefault(p => p.Key == "content-type").Value)
            .Build();
        message.UserProperties = [.. properties.Select(p => new MQTTnet.Packets.MqttUserProperty(p.Key, Encoding.UTF8.GetBytes(p.Value)))];
        Refusing<CloudEventFormatException>(() => MqttCloudEventMessage.Decode(message, MqttVersion.V500));
        Refusing<CloudEventFormatException>(() => MqttCloudEventMessage.Decode(message, MqttVersion.V311));
    }

    private static void Nats(byte[] input)
    {
        var (lines, payload) = Split(input);
        var headers = new NatsHeaders();
        foreach (var (name, value) in lines.Where(l => l.Key.Length > 0))
        {
            headers[name] = value;
        }

        Refusing<CloudEventFormatException>(() => NatsCloudEventMessage.Decode(headers, payload));
    }

    private static void Kafka(byte[] input)
    {
        var (lines, value) = Split(input);
        var record = new KafkaRecord(null, [.. lines.Select(l => KeyValuePair.Create(l.Key, Encoding.UTF8.GetBytes(l.Value)))], value);
        Refusing<CloudEventFormatException>(() => KafkaCloudEventMessage.Decode(record));
    }

    private static void Refusing<TRefusal>(Action parse)
        where TRefusal : Exception
    {
        try
        {
            parse();
        }
        catch (TRefusal)
        {
            // The documented refusal: the product answers it with a 4xx, a dead letter or a wrapped message.
        }
    }

    private static string Text(byte[] input) => Encoding.UTF8.GetString(input);

    private static (List<KeyValuePair<string, string>> Lines, byte[] Body) Split(byte[] input)
    {
        var end = input.AsSpan().IndexOf("\n\n"u8);
        var head = end < 0 ? [] : input.AsSpan(0, end);
        var lines = Encoding.UTF8.GetString(head).Split('\n')
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .Select(parts => KeyValuePair.Create(parts[0].Trim(), parts[1].Trim()))
            .ToList();
        return (lines, end < 0 ? input : input[(end + 2)..]);
    }
}
