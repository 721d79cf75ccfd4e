using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Protocols.CloudEvents;
using Gateway.Protocols.CloudEvents.Http;
using Gateway.Protocols.CloudEvents.Json;

namespace Gateway.Benchmarks;

/// <summary>CloudEvent parse and write: structured JSON, binary HTTP headers, a batch of ten.</summary>
[MemoryDiagnoser]
public class FormatBenchmarks
{
    private static readonly byte[] Structured = Encoding.UTF8.GetBytes("""
        {"specversion":"1.0","id":"a-1","source":"/shop/orders","type":"com.example.order.created","subject":"orders/42",
         "time":"2026-11-22T10:00:00Z","datacontenttype":"application/json","tenant":"blue",
         "data":{"order":42,"customer":"c-7","total":31.5}}
        """);

    private static readonly byte[] Batch = Encoding.UTF8.GetBytes("[" + string.Join(',', Enumerable.Repeat(Encoding.UTF8.GetString(Structured), 10)) + "]");

    private static readonly KeyValuePair<string, string>[] Headers =
    [
        new("ce-specversion", "1.0"), new("ce-id", "a-1"), new("ce-source", "/shop/orders"),
        new("ce-type", "com.example.order.created"), new("ce-subject", "orders%2F42"), new("ce-time", "2026-11-22T10:00:00Z"),
        new("ce-tenant", "blue"), new("Host", "gateway"), new("Content-Length", "44"),
    ];

    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"order":42,"customer":"c-7","total":31.5}""");

    private readonly CloudEvent _event = JsonEventFormat.Parse(Structured);
    private readonly ArrayBufferWriter<byte> _output = new(1024);

    [Benchmark(Baseline = true)]
    public CloudEvent ParseStructured() => JsonEventFormat.Parse(Structured);

    [Benchmark]
    public CloudEvent DecodeBinary() => HttpBinding.DecodeBinary("application/json", Headers, Body);

    [Benchmark]
    public int ParseBatchOfTen() => JsonEventFormat.ParseBatch(Batch).Count;

    [Benchmark]
    public int WriteStructured()
    {
        _output.ResetWrittenCount();
        JsonEventFormat.Write(_event, _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int EncodeBinaryHeaders()
    {
        var count = 0;
        foreach (var header in HttpBinding.EncodeBinaryHeaders(_event))
        {
            count += header.Value.Length;
        }

        return count;
    }
}
