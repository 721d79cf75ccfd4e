namespace Gateway.Delivery;

/// <summary>Runs background tasks and lets their owner wait until every one has finished.</summary>
internal sealed class InFlightTasks
{
    private readonly Lock _lock = new();
    private readonly HashSet<Task> _running = [];

    public void Run(Func<Task> work)
    {
        var task = Task.Run(work);
        lock (_lock)
        {
            _running.Add(task);
        }

        _ = task.ContinueWith(
            t =>
            {
                lock (_lock)
                {
                    _running.Remove(t);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    public async Task WaitAsync()
    {
        Task[] running;
        lock (_lock)
        {
            running = [.. _running];
        }

        try
        {
            await Task.WhenAll(running);
        }
        catch (OperationCanceledException)
        {
            // Work cancelled by shutdown has nothing left to do.
        }
    }
}
