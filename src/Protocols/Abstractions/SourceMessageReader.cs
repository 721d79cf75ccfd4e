using System.Threading.Channels;

namespace Gateway.Protocols.Abstractions;

/// <summary>
/// Reads a source's messages in batches (the first one waited for, then whatever else has arrived), and meanwhile
/// keeps the source's health in step with a client connection that reconnects by itself (the NATS and MQTT clients).
/// </summary>
/// <param name="messages">Where the client puts the messages of the subscription.</param>
/// <param name="isConnected">Whether the client is connected now.</param>
/// <param name="context">The running source's context: its health and clock.</param>
/// <param name="address">The broker, for the health's error.</param>
public sealed class SourceMessageReader<T>(ChannelReader<T> messages, Func<bool> isConnected, SourceContext context, Uri address)
{
    /// <summary>How long a wait for messages goes before the connection is looked at again.</summary>
    private static readonly TimeSpan ConnectionCheck = TimeSpan.FromSeconds(1);

    private bool _connected = true;

    /// <summary>
    /// The next messages, at most <paramref name="max"/>; an empty list when <paramref name="until"/> passed first.
    /// </summary>
    public async Task<List<T>> NextAsync(int max, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        var batch = new List<T>();
        T? first;
        while (!messages.TryRead(out first))
        {
            using var check = new CancellationTokenSource(ConnectionCheck, context.Time);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, check.Token);
            try
            {
                if (!await messages.WaitToReadAsync(wait.Token))
                {
                    throw new ChannelClosedException("the subscription ended");
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                RefreshHealth();
                if (context.Time.GetUtcNow() >= until)
                {
                    return batch;
                }
            }
        }

        batch.Add(first);
        while (batch.Count < max && messages.TryRead(out var next))
        {
            batch.Add(next);
        }

        RefreshHealth();
        return batch;
    }

    private void RefreshHealth()
    {
        var connected = isConnected();
        if (connected == _connected)
        {
            return;
        }

        _connected = connected;
        if (connected)
        {
            context.Health.Connected();
        }
        else
        {
            context.Health.Disconnected($"the connection to {address} broke; reconnecting", context.Time.GetUtcNow());
        }
    }
}
