using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Gateway.Protocols.Abstractions;
using Gateway.Storage;
using Gateway.Storage.Secrets;

namespace Gateway.Sources;

/// <summary>
/// The event sources: declared in configuration or through <c>/sources</c>, stored, and run on this node
/// when it should run them: sources whose protocol spreads messages among readers run on every node; a polled one
/// runs on the one node that owns it (the partition its id hashes to), and moves when that node goes.
/// </summary>
internal sealed partial class SourceManager(
    ISourceStore store,
    StoredSecrets secrets,
    SourceValidator validator,
    SourceRegistry registry,
    IEventAppender appender,
    ILogPartitions partitions,
    DeclaredSources declared,
    TimeProvider time,
    ILogger<SourceManager> logger) : BackgroundService
{
    private static readonly TimeSpan OwnershipCheck = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _writes = new(1, 1);
    // Changed only under _writes; read without a lock by the API.
    private ImmutableSortedDictionary<string, Entry> _sources = ImmutableSortedDictionary.Create<string, Entry>(StringComparer.Ordinal);

    /// <summary>Validates the declared sources (a bad one stops the start, naming the field) and loads the stored ones.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            await LoadAllAsync(cancellationToken);
        }
        finally
        {
            _writes.Release();
        }
    }

    private async Task LoadAllAsync(CancellationToken cancellationToken)
    {
        foreach (var (id, body) in declared.Sources)
        {
            var errors = new List<Protocols.Abstractions.ValidationError>();
            var definition = validator.Validate(body, id, declared: true, errors)
                ?? throw new InvalidOperationException(
                    $"Gateway:Sources:{id} is not a valid source: {string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}"))}");
            await PutAsync(definition);
        }

        foreach (var stored in await store.ListAsync(cancellationToken))
        {
            if (Read(stored) is { } definition && !_sources.ContainsKey(definition.Id))
            {
                await PutAsync(definition);
            }
        }
    }

    /// <summary>The ids of the sources known here, declared and stored.</summary>
    public IEnumerable<string> Ids => _sources.Keys;

    public IReadOnlyList<JsonObject> List() => [.. _sources.Values.Select(e => e.ToApi())];

    public JsonObject? Get(string id) => _sources.GetValueOrDefault(id)?.ToApi();

    /// <summary>Creates a source with a fresh id; the realized source, or the errors.</summary>
    public async Task<(JsonObject? Created, IReadOnlyList<Protocols.Abstractions.ValidationError> Errors)> CreateAsync(
        JsonNode? body, CancellationToken cancellationToken)
    {
        var errors = new List<Protocols.Abstractions.ValidationError>();
        if (validator.Validate(body, Guid.NewGuid().ToString(), declared: false, errors) is not { } definition)
        {
            return (null, errors);
        }

        await _writes.WaitAsync(cancellationToken);
        try
        {
            await store.AddAsync(definition.Id, secrets.Seal(SourceJson.ToStored(definition)), cancellationToken);
            return (await PutAsync(definition), []);
        }
        finally
        {
            _writes.Release();
        }
    }

    public async Task<SourceDeletion> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            if (_sources.GetValueOrDefault(id) is not { } entry)
            {
                return SourceDeletion.NotFound;
            }

            if (entry.Definition.Declared)
            {
                return SourceDeletion.Declared;
            }

            await store.DeleteAsync(id, cancellationToken);
            await RemoveAsync(id);
            return SourceDeletion.Deleted;
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>Another node added or deleted a source: follow the store.</summary>
    public async Task ReloadAsync(string id, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            var stored = await store.FindAsync(id, cancellationToken);
            var live = _sources.GetValueOrDefault(id);
            if (stored is null && live is { Definition.Declared: false })
            {
                await RemoveAsync(id);
            }
            else if (stored is not null && live is null && Read(stored) is { } definition)
            {
                await PutAsync(definition);
            }
        }
        finally
        {
            _writes.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(OwnershipCheck, time, stoppingToken);
                await _writes.WaitAsync(stoppingToken);
                try
                {
                    foreach (var entry in _sources.Values)
                    {
                        await entry.FollowOwnershipAsync(ShouldRun(entry.Definition));
                    }
                }
                finally
                {
                    _writes.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; the runners stop below.
        }
    }

    /// <summary>Loads before the first request: sources declared in configuration that are wrong stop the start.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var entry in _sources.Values)
        {
            await entry.FollowOwnershipAsync(false);
        }
    }

    public override void Dispose()
    {
        _writes.Dispose();
        base.Dispose();
    }

    private SourceDefinition? Read(StoredSource stored)
    {
        var errors = new List<Protocols.Abstractions.ValidationError>();
        if (validator.Validate(JsonNode.Parse(secrets.Open(stored.Document)), stored.Id, declared: false, errors) is { } definition)
        {
            return definition;
        }

        Log.NotLoaded(logger, stored.Id, string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")));
        return null;
    }

    private bool ShouldRun(SourceDefinition definition) =>
        registry.Find(definition.Protocol)!.RunsOnEveryNode || partitions.Owns("source:" + definition.Id);

    private async Task<JsonObject> PutAsync(SourceDefinition definition)
    {
        var binding = registry.Find(definition.Protocol)!;
        var context = new SourceContext(appender, new SourceHealth(), new StoredSourceState(store, definition.Id, definition.Declared), time);
        var entry = new Entry(definition, () => binding.CreateSource(definition.Spec), context, logger);
        Volatile.Write(ref _sources, _sources.SetItem(definition.Id, entry));
        await entry.FollowOwnershipAsync(ShouldRun(definition));
        return entry.ToApi();
    }

    private async Task RemoveAsync(string id)
    {
        if (_sources.GetValueOrDefault(id) is { } entry)
        {
            Volatile.Write(ref _sources, _sources.Remove(id));
            await entry.FollowOwnershipAsync(false);
        }
    }

    /// <summary>A known source, running here or on standby.</summary>
    private sealed class Entry(SourceDefinition definition, Func<IEventSource> create, SourceContext context, ILogger logger)
    {
        private SourceRunner? _runner;

        public SourceDefinition Definition => definition;

        public JsonObject ToApi() => SourceJson.ToApi(definition, context.Health.Snapshot, Volatile.Read(ref _runner) is not null);

        public async Task FollowOwnershipAsync(bool run)
        {
            if (run && _runner is null)
            {
                Volatile.Write(ref _runner, new SourceRunner(definition.Id, create(), context, logger));
            }
            else if (!run && _runner is { } runner)
            {
                Volatile.Write(ref _runner, null);
                await runner.DisposeAsync();
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(61, LogLevel.Error, "Stored source {SourceId} could not be loaded: {Errors}")]
        public static partial void NotLoaded(ILogger logger, string sourceId, string errors);
    }
}

/// <summary>The outcome of <c>DELETE /sources/{id}</c>.</summary>
internal enum SourceDeletion
{
    Deleted,
    NotFound,

    /// <summary>Declared in configuration: only a configuration change removes it.</summary>
    Declared,
}
