namespace MfaReset.Okta;

/// <summary>One client call as its attempts see it: what it is, the request each attempt sends, and whether any attempt went out.</summary>
internal sealed class OktaCall(OktaOperation operation, OktaRequest request, CancellationToken callerToken)
{
    private int _attemptsSent;

    public OktaOperation Operation => operation;

    /// <summary>The caller's own cancellation, to tell it apart from the pipeline's timeouts.</summary>
    public CancellationToken CallerToken => callerToken;

    /// <summary>True once an attempt was handed to the HTTP stack.</summary>
    public bool MayHaveReachedOkta => Volatile.Read(ref _attemptsSent) > 0;

    /// <summary>The attempt just taken was not sent after all (no access token to send it with).</summary>
    public void Withdraw() => Interlocked.Decrement(ref _attemptsSent);

    /// <summary>Sends the next attempt, counted before it leaves: a failure on the way may still have reached Okta.</summary>
    public Task<HttpResponseMessage> SendNextAttemptAsync(CancellationToken attemptToken)
    {
        Interlocked.Increment(ref _attemptsSent);
        return request.SendAsync(attemptToken);
    }
}

/// <summary>The client itself declined to send an attempt (circuit open, in-flight cap reached). Never escapes the client.</summary>
internal sealed class OktaCallRefusedException(OktaUnavailableKind kind) : Exception($"Okta call refused by the client: {kind}.")
{
    public OktaUnavailableKind Kind => kind;
}
