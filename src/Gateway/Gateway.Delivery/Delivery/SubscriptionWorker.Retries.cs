namespace Gateway.Delivery;

/// <summary>The retry pump: takes due deliveries from the retry store and attempts them again.</summary>
internal sealed partial class SubscriptionWorker
{
    private const int RetryBatch = 64;
    private static readonly TimeSpan RetryPoll = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RemovalPause = TimeSpan.FromSeconds(1);

    /// <summary>Not while paused or disabled, and only on the node that owns this subscription's retries.</summary>
    private bool DrivesRetries => !IsStopped && _context.Partitions.Owns(Subscription.Id);

    private async Task RetryLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await RetryRoundAsync();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The store is unreachable for a while (a PostgreSQL restart): the retries wait in it, and the
                    // pump goes on once it answers again instead of ending until the next restart.
                    Log.RetryRoundFailed(_context.Logger, Subscription.Id, ex);
                    await Task.Delay(RemovalPause, _context.Time, _stop.Token);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Shutdown: the retries stay in the store.
        }
    }

    private async Task RetryRoundAsync()
    {
        var target = await WaitForConsentAsync();
        var due = !DrivesRetries ? [] : await Store.DueRetriesAsync(Subscription.Id, _context.Time.GetUtcNow(), RetryBatch, _stop.Token);
        if (due.Count == 0)
        {
            await WaitForRetriesAsync();
            return;
        }

        // One batch at a time, so that no retry is fetched again while its attempt is still running.
        var attempts = new List<Task>(due.Count);
        foreach (var entry in due)
        {
            await target.Slots.WaitAsync(_stop.Token);
            attempts.Add(RetryAttemptAsync(target, entry));
        }

        await Task.WhenAll(attempts);
        await RemoveDeliveredAsync();
    }

    /// <summary>
    /// Removes the round's delivered retries in one commit, before the next round reads due ones (which would
    /// otherwise include them). When the store fails they stay queued for the next round; a crash before that
    /// delivers them again (at least once).
    /// </summary>
    private async Task RemoveDeliveredAsync()
    {
        var delivered = new List<long>();
        while (_deliveredRetries.TryDequeue(out var id))
        {
            delivered.Add(id);
        }

        if (delivered.Count == 0)
        {
            return;
        }

        try
        {
            await Store.RemoveRetriesAsync(delivered, _stop.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            delivered.ForEach(_deliveredRetries.Enqueue);
            Log.NotRemoved(_context.Logger, Subscription.Id, ex);
            await Task.Delay(RemovalPause, _context.Time, _stop.Token);
        }
    }

    private async Task RetryAttemptAsync(DeliveryTarget target, Storage.RetryEntry entry)
    {
        try
        {
            await Task.Yield();
            await AttemptAsync(target, new Attempt(entry.Event, entry.Attempts, entry.FirstAttempt, entry.Id));
        }
        finally
        {
            target.Slots.Release();
        }
    }

    /// <summary>Sleeps until the earliest retry is due, a new one is stored, or the poll interval passed.</summary>
    private async Task WaitForRetriesAsync()
    {
        var now = _context.Time.GetUtcNow();
        var next = !DrivesRetries ? null : await Store.NextDueAsync(Subscription.Id, _stop.Token);
        var wait = next is { } due && due - now < RetryPoll ? due - now : RetryPoll;
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timer.CancelAfter(wait);
        try
        {
            await _retriesChanged.Reader.ReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            // The wait is over.
        }
    }
}
