namespace MfaReset.Web.Notifications;

/// <summary>
/// The background sender: a pass over the outbox every <see cref="NotificationOptions.PollInterval"/>, or at
/// once when this instance queues a notice; old sent and failed notices are purged now and then.
/// </summary>
public sealed partial class NoticeSender(
    NoticeDispatcher dispatcher, NoticeSignal signal, INoticeStore store, TimeProvider timeProvider, IOptions<NotificationOptions> options, ILogger<NoticeSender> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var lastPurge = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await dispatcher.SendDueAsync(stoppingToken).ConfigureAwait(false) == NoticeDispatcher.BatchSize)
                {
                }

                var now = timeProvider.GetUtcNow();
                if (now - lastPurge > TimeSpan.FromHours(1))
                {
                    await store.PurgeAsync(now - options.Value.Retention, stoppingToken).ConfigureAwait(false);
                    lastPurge = now;
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested && exception is not OperationCanceledException)
            {
                // The outbox itself is unreachable (the database is down): nothing is lost, the next pass tries again.
                PassFailed(logger, exception);
            }

            await signal.WaitAsync(options.Value.PollInterval, timeProvider, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(1605, LogLevel.Error, "A pass over the notice outbox failed; notices stay queued for the next pass")]
    private static partial void PassFailed(ILogger logger, Exception exception);
}

/// <summary>Wakes the sender when a notice is queued on this instance.</summary>
public sealed class NoticeSignal : IDisposable
{
    private readonly SemaphoreSlim _queued = new(0, 1);

    public void Dispose() => _queued.Dispose();

    public void Notify()
    {
        try
        {
            _queued.Release();
        }
        catch (SemaphoreFullException)
        {
            // The sender is already due to wake.
        }
    }

    public async Task WaitAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var timer = timeProvider.CreateTimer(_ => wait.Cancel(), null, timeout, Timeout.InfiniteTimeSpan);
        try
        {
            await _queued.WaitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval passed.
        }
    }
}
