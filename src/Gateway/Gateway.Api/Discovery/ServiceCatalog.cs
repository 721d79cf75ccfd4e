using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Protocols.Abstractions;
using Gateway.Storage;

namespace Gateway.Discovery;

/// <summary>
/// The services producers registered (§9.1 management API): validated, with the epoch rules, stored atomically.
/// The gateway's own entry is not among them; it is built on each request.
/// </summary>
internal sealed class ServiceCatalog(IDiscoveryStore store) : IDisposable
{
    private readonly SemaphoreSlim _writes = new(1, 1);
    private Dictionary<string, JsonObject> _services = new(StringComparer.Ordinal);

    /// <summary>The gateway's own id, stable across restarts.</summary>
    public string SelfId { get; private set; } = string.Empty;

    /// <summary>The gateway's own name, which no registered service may take.</summary>
    public string SelfName { get; set; } = string.Empty;

    public IReadOnlyCollection<JsonObject> Services => Volatile.Read(ref _services).Values;

    public void Restore(DiscoveryState state)
    {
        SelfId = state.SelfId;
        _services = ById(state.Services);
    }

    /// <summary>Reads the registered services again, after another node changed them.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            var state = await store.LoadAsync(cancellationToken);
            Volatile.Write(ref _services, ById(state.Services));
        }
        finally
        {
            _writes.Release();
        }
    }

    private static Dictionary<string, JsonObject> ById(IEnumerable<JsonObject> services) =>
        services.ToDictionary(s => s["id"]!.GetValue<string>(), StringComparer.Ordinal);

    public JsonObject? Find(string id) => Volatile.Read(ref _services).GetValueOrDefault(id);

    /// <summary>
    /// Creates or replaces services, all or none. <paramref name="pathId"/> is the id of <c>PUT /services/{id}</c>.
    /// Returns the stored services in request order, or the errors and whether they are epoch conflicts (409).
    /// </summary>
    public async Task<(IReadOnlyList<JsonObject>? Stored, List<ValidationError> Errors, bool Conflict)> UpsertAsync(
        IReadOnlyList<JsonNode?> bodies, string? pathId, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            var errors = new List<ValidationError>();
            var conflicts = new List<ValidationError>();
            var current = Volatile.Read(ref _services);
            var next = new Dictionary<string, JsonObject>(current, StringComparer.Ordinal);
            var stored = new List<JsonObject>();
            for (var i = 0; i < bodies.Count; i++)
            {
                var prefix = pathId is null ? $"[{i}]." : string.Empty;
                if (Validate(bodies[i], prefix, pathId, current, errors, conflicts) is { } service)
                {
                    next[service["id"]!.GetValue<string>()] = service;
                    stored.Add(service);
                }
            }

            CheckUniqueNames(next.Values, stored, errors);
            if (errors.Count > 0 || conflicts.Count > 0)
            {
                return (null, errors.Count > 0 ? errors : conflicts, errors.Count == 0);
            }

            await store.SaveServicesAsync(stored, [], cancellationToken);
            Volatile.Write(ref _services, next);
            return (stored, [], false);
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>Deletes a service; a missing one counts as deleted. False when <paramref name="epoch"/> is not newer.</summary>
    public async Task<bool> DeleteAsync(string id, long? epoch, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            var current = Volatile.Read(ref _services);
            if (!current.TryGetValue(id, out var existing))
            {
                return true;
            }

            if (epoch is { } given && given <= existing["epoch"]!.GetValue<long>())
            {
                return false;
            }

            await store.SaveServicesAsync([], [id], cancellationToken);
            var next = new Dictionary<string, JsonObject>(current, StringComparer.Ordinal);
            next.Remove(id);
            Volatile.Write(ref _services, next);
            return true;
        }
        finally
        {
            _writes.Release();
        }
    }

    public void Dispose() => _writes.Dispose();

    private JsonObject? Validate(
        JsonNode? body, string prefix, string? pathId, Dictionary<string, JsonObject> current,
        List<ValidationError> errors, List<ValidationError> conflicts)
    {
        if (body is not JsonObject given)
        {
            errors.Add(new(prefix.TrimEnd('.') is { Length: > 0 } p ? p : "$", "a service is a JSON object (§9.1)"));
            return null;
        }

        var service = (JsonObject)given.DeepClone();
        service.Remove("url");
        var before = errors.Count;
        var id = Text(service, "id");
        if (pathId is not null && id is not null && id != pathId)
        {
            errors.Add(new("id", $"the body's id '{id}' differs from the path's '{pathId}'"));
        }

        id = pathId ?? id ?? Guid.NewGuid().ToString();
        if (id.Length == 0 || id.Any(c => c is '/' or '?' or '#' or ':' || char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            errors.Add(new(prefix + "id", "must be a non-empty URI segment without ':' (segment-nz-nc)"));
        }
        else if (id == SelfId)
        {
            errors.Add(new(prefix + "id", "the gateway's own entry is read-only"));
        }

        service["id"] = id;
        RequireText(service, "name", prefix, errors);
        RequireText(service, "subscriptionurl", prefix, errors);
        if (Text(service, "subscriptionurl") is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            errors.Add(new(prefix + "subscriptionurl", "must be an absolute URL"));
        }

        RequireTextArray(service, "specversions", prefix, errors);
        RequireTextArray(service, "protocols", prefix, errors);
        ValidateEvents(service, prefix, errors);
        SetEpoch(service, prefix, current.GetValueOrDefault(id), errors, conflicts);
        return errors.Count == before ? service : null;
    }

    /// <summary>§9.1: a given epoch must be greater than the stored one (409 otherwise); none given, the next one.</summary>
    private static void SetEpoch(JsonObject service, string prefix, JsonObject? existing, List<ValidationError> errors, List<ValidationError> conflicts)
    {
        var stored = existing?["epoch"]?.GetValue<long>() ?? 0;
        switch (service["epoch"])
        {
            case null:
                service["epoch"] = stored + 1;
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var epoch) && epoch is >= 0 and <= uint.MaxValue:
                if (existing is not null && epoch <= stored)
                {
                    conflicts.Add(new(prefix + "epoch", $"must be greater than the current epoch {stored}"));
                }

                break;
            default:
                errors.Add(new(prefix + "epoch", "must be an unsigned 32-bit integer"));
                break;
        }
    }

    private static void ValidateEvents(JsonObject service, string prefix, List<ValidationError> errors)
    {
        if (service["events"] is null)
        {
            return;
        }

        if (service["events"] is not JsonArray events)
        {
            errors.Add(new(prefix + "events", "must be an array"));
            return;
        }

        for (var i = 0; i < events.Count; i++)
        {
            var field = $"{prefix}events[{i}]";
            if (events[i] is not JsonObject definition)
            {
                errors.Add(new(field, "must be an object"));
                continue;
            }

            RequireText(definition, "type", field + ".", errors);
            if (definition["dataschema"] is not null && definition["dataschemacontent"] is not null)
            {
                errors.Add(new(field + ".dataschemacontent", "must not be present together with dataschema"));
            }
        }
    }

    private void CheckUniqueNames(IEnumerable<JsonObject> all, List<JsonObject> changed, List<ValidationError> errors)
    {
        var names = all.Select(s => Text(s, "name") ?? string.Empty).Append(SelfName)
            .GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var service in changed.Where(s => names.Contains(Text(s, "name") ?? string.Empty)))
        {
            errors.Add(new("name", $"the name '{Text(service, "name")}' is taken; names are unique, ignoring case (§9.1)"));
        }
    }

    private static void RequireText(JsonObject json, string name, string prefix, List<ValidationError> errors)
    {
        if (Text(json, name) is not { Length: > 0 })
        {
            errors.Add(new(prefix + name, "is required: a non-empty string"));
        }
    }

    private static void RequireTextArray(JsonObject json, string name, string prefix, List<ValidationError> errors)
    {
        if (json[name] is not JsonArray { Count: > 0 } array
            || array.Any(v => v is not JsonValue value || value.GetValueKind() != JsonValueKind.String || value.GetValue<string>().Length == 0))
        {
            errors.Add(new(prefix + name, "is required: a non-empty array of non-empty strings"));
        }
    }

    private static string? Text(JsonObject json, string name) =>
        json[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
