namespace MfaReset.Okta.Sandbox.Control;

/// <summary>
/// Numbers the sandbox's resets and collects portals' reports that they cleared their own holds for one:
/// a portal that talks to the standalone sandbox waits here (long poll) for the next reset, clears, reports.
/// The simulator page then says whether a portal's holds were cleared too, rather than assuming it.
/// </summary>
internal sealed class ResetLedger
{
    /// <summary>A portal that asked within this long is still listening (between two long polls).</summary>
    private static readonly TimeSpan ListenerMemory = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private long _resets;
    private long _clearedUpTo;
    private long _lastListenedTicks = long.MinValue;
    private int _waiting;
    private TaskCompletionSource _changed = NewSignal();

    public long Count
    {
        get
        {
            lock (_gate)
            {
                return _resets;
            }
        }
    }

    /// <summary>Records a reset; returns its number.</summary>
    public long Record()
    {
        lock (_gate)
        {
            _resets++;
            Signal();
            return _resets;
        }
    }

    /// <summary>A portal cleared its holds for reset <paramref name="number"/>.</summary>
    public void ReportCleared(long number)
    {
        lock (_gate)
        {
            if (number > _clearedUpTo && number <= _resets)
            {
                _clearedUpTo = number;
                Signal();
            }
        }
    }

    /// <summary>The number of the newest reset once it is past <paramref name="after"/>, or the current one after <paramref name="timeout"/>.</summary>
    public async Task<long> WaitForResetAsync(long after, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            return await WaitUntilAsync(() => _resets > after, () => _resets, timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
            Interlocked.Exchange(ref _lastListenedTicks, Environment.TickCount64);
        }
    }

    /// <summary>
    /// Whether a portal reported clearing for reset <paramref name="number"/>; when one is listening, waits up
    /// to <paramref name="timeout"/> for its report.
    /// </summary>
    public async Task<bool> PortalClearedAsync(long number, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var listening = Volatile.Read(ref _waiting) > 0
            || Environment.TickCount64 - Interlocked.Read(ref _lastListenedTicks) < (long)ListenerMemory.TotalMilliseconds;
        return await WaitUntilAsync(() => _clearedUpTo >= number, () => _clearedUpTo >= number, listening ? timeout : TimeSpan.Zero, cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<T> WaitUntilAsync<T>(Func<bool> done, Func<T> result, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (done() || deadline.IsCancellationRequested)
                {
                    return result();
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The timeout: answer with what is known now.
            }
        }
    }

    private void Signal()
    {
        _changed.TrySetResult();
        _changed = NewSignal();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
