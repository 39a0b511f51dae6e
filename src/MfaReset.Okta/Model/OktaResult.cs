namespace MfaReset.Okta;

/// <summary>Outcome of a read or lifecycle call. Switch on the nested records.</summary>
public abstract record OktaResult<T>
{
    private OktaResult()
    {
    }

    /// <summary>Okta answered 2xx.</summary>
    public sealed record Ok(T Value) : OktaResult<T>;

    /// <summary>Okta answered 404 (<c>E0000007</c>).</summary>
    public sealed record NotFound(OktaError Error) : OktaResult<T>;

    /// <summary>Okta answered 429 and waiting for the reset did not fit the time budget.</summary>
    public sealed record Throttled(OktaError Error) : OktaResult<T>;

    /// <summary>Okta answered with another error status.</summary>
    public sealed record Failed(OktaError Error) : OktaResult<T>;

    /// <summary>No usable answer: connection failure, timeout, or 5xx after the allowed retries.</summary>
    public sealed record Unavailable(OktaUnavailable Reason) : OktaResult<T>;
}

/// <summary>
/// Outcome of <c>POST .../verify</c> (challenge, passcode, answer, push) and of a push poll.
/// </summary>
public abstract record FactorVerifyResult
{
    private FactorVerifyResult()
    {
    }

    /// <summary><c>factorResult: CHALLENGE</c>: a code was sent (SMS, call, email).</summary>
    public sealed record ChallengeSent(DateTimeOffset? ExpiresAt) : FactorVerifyResult;

    /// <summary><c>factorResult: SUCCESS</c>.</summary>
    public sealed record Success : FactorVerifyResult;

    /// <summary><c>factorResult: WAITING</c>: a push is on its way or not answered yet.</summary>
    /// <param name="Poll">Where to ask for the outcome; opaque to callers.</param>
    /// <param name="CorrectAnswer">The number the person must pick on their phone (number matching), if Okta sent one.</param>
    /// <param name="ExpiresAt">When Okta gives up on the push.</param>
    public sealed record Waiting(PushPollHandle Poll, int? CorrectAnswer, DateTimeOffset? ExpiresAt) : FactorVerifyResult;

    /// <summary><c>factorResult: REJECTED</c>: the person denied the push (or picked the wrong number).</summary>
    public sealed record Rejected : FactorVerifyResult;

    /// <summary><c>factorResult: TIMEOUT</c>: the push expired unanswered.</summary>
    public sealed record TimedOut : FactorVerifyResult;

    /// <summary>403 <c>E0000068</c>: wrong passcode or answer.</summary>
    public sealed record InvalidPasscode(OktaError Error) : FactorVerifyResult;

    /// <summary>429 (<c>E0000109</c> SMS sent too recently, <c>E0000047</c> rate limit).</summary>
    public sealed record Throttled(OktaError Error) : FactorVerifyResult;

    /// <summary>Another Okta error (404 unknown factor, 403 inactive user, 400 missing User-Agent, ...).</summary>
    public sealed record Failed(OktaError Error) : FactorVerifyResult;

    /// <summary>
    /// A code that was right but cannot be used now: already used, or outside the time window. Okta
    /// documents both a 200 <c>factorResult</c> (<c>PASSCODE_REPLAYED</c>, <c>TIME_WINDOW_EXCEEDED</c>,
    /// <paramref name="Error"/> null) and a 403 (<c>E0000082</c>, <c>E0000083</c>, with the error).
    /// </summary>
    public sealed record CodeReused(CodeReuse Reason, OktaError? Error) : FactorVerifyResult;

    /// <summary>Okta accepted a push's cancellation (any 2xx to the <c>DELETE</c>; Okta documents no body).</summary>
    public sealed record Cancelled : FactorVerifyResult;

    /// <summary>A <c>factorResult</c> the portal does not act on (<c>CANCELLED</c>, <c>ERROR</c>, values added later).</summary>
    public sealed record Other(string FactorResult) : FactorVerifyResult;

    /// <summary>The client refused to send the request (for example a poll href outside the org URL). Nothing was sent.</summary>
    public sealed record Refused(string Reason) : FactorVerifyResult;

    /// <summary>No usable answer. For a POST, <see cref="OktaUnavailable.RequestMayHaveReachedOkta"/> says whether Okta may have acted.</summary>
    public sealed record Unavailable(OktaUnavailable Reason) : FactorVerifyResult;
}

/// <summary>Why a right code could not be used.</summary>
public enum CodeReuse
{
    /// <summary>The code was already used (<c>PASSCODE_REPLAYED</c>, <c>E0000082</c>).</summary>
    Replayed,

    /// <summary>The code is outside the accepted time window (<c>TIME_WINDOW_EXCEEDED</c>, <c>E0000083</c>).</summary>
    TimeWindowExceeded,
}

/// <summary>Outcome of setting a password.</summary>
public abstract record SetPasswordResult
{
    private SetPasswordResult()
    {
    }

    /// <summary>Okta accepted the password.</summary>
    public sealed record Changed : SetPasswordResult;

    /// <summary>
    /// Okta's password policy refused the password (400 <c>E0000001</c>, 403 <c>E0000014</c> or 403 <c>E0000080</c>).
    /// <paramref name="Reasons"/> are the <c>errorCauses</c> summaries, safe to show: any text echoing the
    /// candidate password has been removed.
    /// </summary>
    public sealed record Rejected(IReadOnlyList<string> Reasons, OktaError Error) : SetPasswordResult;

    /// <summary>429.</summary>
    public sealed record Throttled(OktaError Error) : SetPasswordResult;

    /// <summary>
    /// 412 Precondition Failed to a set sent with <c>If-Match</c>: the user is no longer the version that tag
    /// named (RFC 9110 13.1.1), so nothing was set. Decided by the status alone: Okta documents no body for it;
    /// <paramref name="Error"/> holds whatever came.
    /// </summary>
    public sealed record UserChanged(OktaError Error) : SetPasswordResult;

    /// <summary>Another Okta error (404, 403 <c>E0000038</c> user status, ...).</summary>
    public sealed record Failed(OktaError Error) : SetPasswordResult;

    /// <summary>No usable answer; when the request may have reached Okta the outcome is unknown and must not be re-sent blindly.</summary>
    public sealed record Unavailable(OktaUnavailable Reason) : SetPasswordResult;
}

/// <summary>Why a call got no usable answer.</summary>
/// <param name="Kind">Timeout, connection failure, server error, or the client's own protection (open circuit, in-flight cap).</param>
/// <param name="RequestMayHaveReachedOkta">True when Okta may have received and acted on the request (timeout after sending, 5xx); false when nothing was sent.</param>
/// <param name="HttpStatus">The last HTTP status, when Okta answered with a 5xx.</param>
public sealed record OktaUnavailable(OktaUnavailableKind Kind, bool RequestMayHaveReachedOkta, int? HttpStatus = null);

/// <summary>Categories of <see cref="OktaUnavailable"/>.</summary>
public enum OktaUnavailableKind
{
    /// <summary>No answer within the per-attempt timeout or the overall budget.</summary>
    Timeout,

    /// <summary>The connection could not be made or broke.</summary>
    ConnectionFailed,

    /// <summary>Okta answered 5xx.</summary>
    ServerError,

    /// <summary>
    /// Okta failed several times in a row and the circuit breaker is open: the client fails fast
    /// without sending until the break is over (<see cref="OktaOptions.CircuitBreakerDuration"/>).
    /// </summary>
    CircuitOpen,

    /// <summary>
    /// The client's cap on concurrent Okta requests (<see cref="OktaOptions.MaxInFlightRequests"/>) was
    /// reached and no slot freed within <see cref="OktaOptions.InFlightQueueTimeout"/>; not sent.
    /// </summary>
    InFlightLimit,

    /// <summary>
    /// The service app got no access token (<see cref="OktaAuthorization.PrivateKeyJwt"/>): the token endpoint
    /// refused it, failed or did not answer. Every call fails the same way until a token is issued; not sent.
    /// </summary>
    NoAccessToken,
}
