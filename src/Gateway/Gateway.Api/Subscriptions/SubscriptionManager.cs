using System.Text.Json.Nodes;
using Gateway.Delivery;
using Gateway.Protocols.Abstractions;
using Gateway.Security;
using Gateway.Storage;

namespace Gateway.Subscriptions;

/// <summary>
/// The Subscriptions API's operations (§6.5): each change is stored first, then applied to delivery, and only then
/// answered, so a subscription applies to every event accepted after its create or update answered.
/// </summary>
internal sealed partial class SubscriptionManager(
    ISubscriptionStore store,
    IDeliveryStore deliveries,
    SubscriptionValidator validator,
    DeliveryEngine engine,
    TimeProvider time,
    ILogger<SubscriptionManager> logger) : IDisposable
{
    private readonly SemaphoreSlim _writes = new(1, 1);

    /// <summary>Loads the stored subscriptions into delivery, at start.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            // Skips what another node's change notification already brought in.
            foreach (var stored in (await store.ListAsync(cancellationToken)).Where(s => engine.Find(s.Subscription.Id) is null))
            {
                await ApplyStoredAsync(stored);
            }
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>
    /// Brings one subscription in line with the store after another node changed it (its create, update, delete,
    /// pause, or a 410 it saw), so every node applies a change within a second of its answer (design.md).
    /// </summary>
    public async Task ReloadAsync(string id, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            var stored = await store.FindAsync(id, cancellationToken);
            var worker = engine.Find(id);
            if (stored is null)
            {
                if (worker is not null)
                {
                    await engine.RemoveAsync(id, cancellationToken);
                }

                return;
            }

            var (subscription, disabledReason, paused, _) = stored;
            var replaced = worker is not null
                && (!SubscriptionJson.SameDocument(subscription, worker.Subscription)
                    || (worker.IsDisabled && disabledReason is null));
            if ((worker is null || replaced) && !await ApplyStoredAsync(stored))
            {
                return;
            }

            worker = engine.Find(id)!;
            if (worker.IsPaused != paused)
            {
                worker.SetPaused(paused);
            }

            if (disabledReason is not null && !worker.IsDisabled)
            {
                worker.MarkDisabled(disabledReason);
            }
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>The caller's subscriptions; another tenant's are never listed.</summary>
    public async Task<IReadOnlyList<SubscriptionView>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        var views = new List<SubscriptionView>();
        foreach (var worker in engine.Workers.Where(w => caller.Sees(w.Subscription.Owner)).OrderBy(w => w.Subscription.Id, StringComparer.Ordinal))
        {
            views.Add(await ViewAsync(worker, cancellationToken));
        }

        return views;
    }

    public async Task<SubscriptionView?> GetAsync(string id, Caller caller, CancellationToken cancellationToken) =>
        Find(id, caller) is { } worker ? await ViewAsync(worker, cancellationToken) : null;

    /// <summary>The stored dead letters of a subscription, or null when it does not exist.</summary>
    public async Task<IReadOnlyList<DeadLetter>?> DeadLettersAsync(string id, Caller caller, CancellationToken cancellationToken) =>
        Find(id, caller) is null ? null : await deliveries.DeadLettersAsync(id, cancellationToken);

    /// <summary>Puts a subscription's dead letters back into delivery; null when it does not exist.</summary>
    public async Task<int?> RedriveAsync(string id, Caller caller, CancellationToken cancellationToken)
    {
        if (Find(id, caller) is not { } worker)
        {
            return null;
        }

        var count = await deliveries.RedriveAsync(id, time.GetUtcNow(), cancellationToken);
        worker.RetriesChanged();
        return count;
    }

    /// <summary>
    /// Create: a fresh server id; a client id is ignored (SUB-04). The gateway's own features (the OpenWhisk feed)
    /// may choose the id; a taken one is a conflict.
    /// </summary>
    public async Task<ChangeResult> CreateAsync(JsonNode? body, Caller caller, CancellationToken cancellationToken, string? chosenId = null)
    {
        var errors = new List<ValidationError>();
        var id = chosenId ?? Guid.NewGuid().ToString();
        if (validator.Validate(body, id, keptCredential: null, errors) is not { } validated)
        {
            return ChangeResult.Invalid(errors);
        }

        await _writes.WaitAsync(cancellationToken);
        try
        {
            if (engine.Find(id) is not null)
            {
                return ChangeResult.Conflict;
            }

            validated = validated with { Subscription = validated.Subscription with { Owner = caller.Tenant } };
            await store.AddAsync(validated.Subscription, cancellationToken);
            await engine.ApplyAsync(validated);
        }
        finally
        {
            _writes.Release();
        }

        return ChangeResult.Done(await ViewAsync(engine.Find(id)!, cancellationToken));
    }

    /// <summary>Update: a full replace (SUB-24). An absent <c>sinkcredential</c> keeps the stored one.</summary>
    public async Task<ChangeResult> UpdateAsync(string id, JsonNode? body, Caller caller, CancellationToken cancellationToken)
    {
        if (body is JsonObject json && json["id"] is { } bodyId && bodyId.ToString() != id)
        {
            return ChangeResult.Invalid([new ValidationError("id", $"the body's id '{bodyId}' differs from the path's '{id}'")]);
        }

        await _writes.WaitAsync(cancellationToken);
        try
        {
            if (Find(id, caller) is not { } existing)
            {
                return ChangeResult.NotFound;
            }

            var errors = new List<ValidationError>();
            if (validator.Validate(body, id, existing.Subscription.Credential, errors) is not { } validated)
            {
                return ChangeResult.Invalid(errors);
            }

            // A replace keeps the owner: an admin changing a tenant's subscription does not take it over.
            validated = validated with { Subscription = validated.Subscription with { Owner = existing.Subscription.Owner } };

            await store.ReplaceAsync(validated.Subscription, cancellationToken);
            await engine.ApplyAsync(validated);
            return ChangeResult.Done(await ViewAsync(existing, cancellationToken));
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>Pauses or resumes delivery; false when the subscription does not exist.</summary>
    public async Task<bool> SetPausedAsync(string id, bool paused, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            if (engine.Find(id) is not { } worker)
            {
                return false;
            }

            await store.SetPausedAsync(id, paused, cancellationToken);
            worker.SetPaused(paused);
            return true;
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>The ids of the subscriptions this node delivers to.</summary>
    public IEnumerable<string> LiveIds => engine.Workers.Select(w => w.Subscription.Id);

    /// <summary>The live worker of a subscription the caller may see, for features built on subscriptions.</summary>
    public SubscriptionWorker? Find(string id, Caller caller) =>
        engine.Find(id) is { } worker && caller.Sees(worker.Subscription.Owner) ? worker : null;

    /// <summary>Delete: returns the deleted subscription, or null when there was none.</summary>
    public async Task<SubscriptionView?> DeleteAsync(string id, Caller caller, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            if (Find(id, caller) is not { } existing)
            {
                return null;
            }

            var view = await ViewAsync(existing, cancellationToken);
            await store.DeleteAsync(id, cancellationToken);
            await engine.RemoveAsync(id, cancellationToken);
            return view;
        }
        finally
        {
            _writes.Release();
        }
    }

    public void Dispose() => _writes.Dispose();

    /// <summary>Starts (or replaces) delivery to a stored subscription in its stored state; false when it no longer validates.</summary>
    private async Task<bool> ApplyStoredAsync(StoredSubscription stored)
    {
        var errors = new List<ValidationError>();
        if (validator.CompileFilter(stored.Subscription, errors) is not { } filter)
        {
            Log.NotLoaded(logger, stored.Subscription.Id, string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")));
            return false;
        }

        await engine.ApplyAsync(
            new ValidatedSubscription(stored.Subscription, filter), new StoredState(stored.DisabledReason, stored.Paused, stored.StateChanged));
        return true;
    }

    /// <summary>The subscription with its status, the backlog counted from the queue and the retry store.</summary>
    private async Task<SubscriptionView> ViewAsync(SubscriptionWorker worker, CancellationToken cancellationToken)
    {
        var (queued, oldestQueued) = worker.Queued;
        var (retries, oldestRetry) = await deliveries.BacklogAsync(worker.Subscription.Id, cancellationToken);
        var oldest = (oldestQueued, oldestRetry) switch
        {
            ({ } q, { } r) => q < r ? q : r,
            _ => oldestQueued ?? oldestRetry,
        };
        return new(worker.Subscription, worker.Status with { Backlog = queued + retries, OldestWaiting = oldest });
    }

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Error, "Stored subscription {SubscriptionId} could not be loaded: {Errors}")]
        public static partial void NotLoaded(ILogger logger, string subscriptionId, string errors);
    }
}

/// <summary>A subscription with its current status.</summary>
internal sealed record SubscriptionView(Subscription Subscription, SubscriptionStatus Status)
{
    public JsonObject ToJson() => SubscriptionJson.ToApi(Subscription, Status);
}

/// <summary>The outcome of a create or update.</summary>
internal sealed record ChangeResult(SubscriptionView? View, IReadOnlyList<ValidationError> Errors, bool IsNotFound, bool IsConflict = false)
{
    public static readonly ChangeResult NotFound = new(null, [], true);

    public static readonly ChangeResult Conflict = new(null, [], false, true);

    public static ChangeResult Done(SubscriptionView view) => new(view, [], false);

    public static ChangeResult Invalid(IReadOnlyList<ValidationError> errors) => new(null, errors, false);
}
