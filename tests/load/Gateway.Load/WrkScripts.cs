namespace Gateway.Load;

/// <summary>
/// The wrk scripts. Every event gets its own id: a prefix that the tool makes unique per wrk run (passed after
/// <c>--</c>), the wrk thread and a counter, so no run repeats an id of an earlier one.
/// </summary>
internal static class WrkScripts
{
    /// <summary>One binary-mode event per request; args: id prefix, event type, API key (optional).</summary>
    public const string Single = """
        local counter = 0
        local threads = 0
        local prefix, ctype, key
        function setup(thread)
          thread:set("tid", threads)
          threads = threads + 1
        end
        function init(args)
          prefix, ctype, key = args[1], args[2], args[3]
        end
        function request()
          counter = counter + 1
          return wrk.format("POST", "/events", {
            ["ce-specversion"] = "1.0",
            ["ce-id"] = prefix .. tid .. "-" .. counter,
            ["ce-source"] = "/load",
            ["ce-type"] = ctype,
            ["Content-Type"] = "application/json",
            ["X-Api-Key"] = key,
          }, '{"order":12345,"customer":"c-42","items":[{"sku":"a1","qty":2},{"sku":"b7","qty":1}],"total":31.5}')
        end
        """;

    /// <summary>A batch (<c>application/cloudevents-batch+json</c>) per request; args: id prefix, batch size, API key (optional).</summary>
    public const string Batch = """
        local counter = 0
        local threads = 0
        local prefix, size, key
        function setup(thread)
          thread:set("tid", threads)
          threads = threads + 1
        end
        function init(args)
          prefix, size, key = args[1], tonumber(args[2]), args[3]
        end
        function request()
          counter = counter + 1
          local events = {}
          for i = 1, size do
            events[i] = '{"specversion":"1.0","id":"' .. prefix .. tid .. "-" .. counter .. "-" .. i ..
              '","source":"/load","type":"io.gateway.load","datacontenttype":"application/json",' ..
              '"data":{"order":12345,"customer":"c-42","items":[{"sku":"a1","qty":2},{"sku":"b7","qty":1}],"total":31.5}}'
          end
          return wrk.format("POST", "/events", {
            ["Content-Type"] = "application/cloudevents-batch+json",
            ["X-Api-Key"] = key,
          }, "[" .. table.concat(events, ",") .. "]")
        end
        """;
}
