namespace MfaReset.Okta;

/// <summary>
/// At most <see cref="OktaOptions.MaxInFlightRequests"/> requests to Okta at a time, well under the
/// org-wide concurrency limit that all of the org's traffic shares (security.md item 76). An attempt
/// beyond the cap waits up to <see cref="OktaOptions.InFlightQueueTimeout"/> for a slot and is then
/// refused unsent. One instance is shared by every call of a client registration.
/// </summary>
internal sealed class OktaInFlightLimit(OktaOptions options, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.MaxInFlightRequests, options.MaxInFlightRequests);
    private readonly TimeSpan _queueTimeout = options.InFlightQueueTimeout;

    /// <summary>
    /// Takes a slot, waiting at most the queue timeout; false when none freed in time. The caller's
    /// cancellation is thrown. A true answer must be followed by <see cref="Exit"/>.
    /// </summary>
    public async ValueTask<bool> TryEnterAsync(CancellationToken cancellationToken)
    {
        // The usual case takes a free slot without starting a timer.
        if (_slots.Wait(0, CancellationToken.None))
        {
            return true;
        }

        if (_queueTimeout <= TimeSpan.Zero)
        {
            return false;
        }

        using var queueTimeout = new CancellationTokenSource(_queueTimeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(queueTimeout.Token, cancellationToken);
        try
        {
            await _slots.WaitAsync(either.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public void Exit() => _slots.Release();

    public void Dispose() => _slots.Dispose();
}
