namespace MfaReset.Okta;

/// <summary>
/// Okta refusals that are not outages: Okta answered, and the answer says what the person can do next (another
/// method, the help desk, a few minutes' wait). Codes, statuses and wording from Okta's error catalog
/// (okta/okta-developer-docs <c>packages/@okta/vuepress-site/data/error-codes.json</c>, release 2023.02.1, commit
/// 04fe05d94f; E0000038 also in the contract pack's <c>errors/E0000038-invalid-user-status.403.json</c>).
/// </summary>
public enum OktaRefusal
{
    /// <summary>403 <c>E0000099</c> "International SMS call not enabled": the org texts and calls only US and Canada numbers.</summary>
    PhoneRegionNotAllowed,

    /// <summary>400 <c>E0000140</c> "Telephony opt out error": the phone number opted out of Okta's texts or calls.</summary>
    PhoneOptedOut,

    /// <summary>409 <c>E0000113</c> "Factor additional challenge exception": this factor cannot verify on its own here.</summary>
    FactorNeedsAnotherChallenge,

    /// <summary>403 <c>E0000038</c> "This operation is not allowed in the user's current status."</summary>
    UserStatusForbids,

    /// <summary>403 <c>E0000032</c> "Unlock is not allowed for this user."</summary>
    UnlockForbidden,

    /// <summary>409 <c>E0000112</c> "Cannot update this user because they are still being activated. Please try again in a few minutes."</summary>
    UserBeingActivated,
}

/// <summary>
/// Whose limit a 429 is, told apart by its <c>X-Rate-Limit-*</c> headers (Okta's rate-limit pages, contract pack
/// <c>reference/rate-limits.json</c>): they always report the org-wide bucket (or, with <c>Limit: 0</c>, the org's
/// concurrency limit), never a per-user limit.
/// </summary>
public enum OktaThrottle
{
    /// <summary>The org's bucket is spent (<c>Remaining: 0</c>): everyone waits for the reset.</summary>
    OrgBucket,

    /// <summary><c>X-Rate-Limit-Limit: 0</c>: too many simultaneous requests from the org; the reset is only an estimate.</summary>
    Concurrency,

    /// <summary>
    /// The org's bucket still had room (<c>Remaining</c> above zero), so Okta refused for something narrower: the
    /// person's own limit (verify attempts per user, Okta's lockout of an authenticator for a few minutes).
    /// </summary>
    Person,

    /// <summary>
    /// No rate-limit headers: whose limit it is goes unsaid (Okta's documented call-resend 429, <c>E0000047</c>
    /// without headers, is one). Never taken as the person's.
    /// </summary>
    Unstated,
}

/// <summary>Reads <see cref="OktaRefusal"/> and <see cref="OktaThrottle"/> off an <see cref="OktaError"/>.</summary>
public static class OktaRefusals
{
    /// <summary>403: the org's voice-call rate limit (the call form of 403 <c>E0000150</c>).</summary>
    public const string CallRateLimitForbidden = "E0000151";

    /// <summary>403: international SMS and calls are not enabled for the org.</summary>
    public const string PhoneRegionNotAllowed = "E0000099";

    /// <summary>400: the phone number opted out of Okta's telephony.</summary>
    public const string TelephonyOptOut = "E0000140";

    /// <summary>409: the factor needs an additional challenge.</summary>
    public const string FactorAdditionalChallenge = "E0000113";

    /// <summary>403: not allowed in the user's current status.</summary>
    public const string UserStatusForbidden = "E0000038";

    /// <summary>403: unlock is not allowed for this user.</summary>
    public const string UnlockForbidden = "E0000032";

    /// <summary>409: the user is still being activated.</summary>
    public const string UserBeingActivated = "E0000112";

    /// <summary>The refusal <paramref name="error"/> stands for; null for anything else (an outage, a throttle, a wrong code).</summary>
    public static OktaRefusal? Of(OktaError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return (error.HttpStatus, error.ErrorCode) switch
        {
            (403, PhoneRegionNotAllowed) => OktaRefusal.PhoneRegionNotAllowed,
            (400, TelephonyOptOut) => OktaRefusal.PhoneOptedOut,
            (409, FactorAdditionalChallenge) => OktaRefusal.FactorNeedsAnotherChallenge,
            (403, UserStatusForbidden) => OktaRefusal.UserStatusForbids,
            (403, UnlockForbidden) => OktaRefusal.UnlockForbidden,
            (409, UserBeingActivated) => OktaRefusal.UserBeingActivated,
            _ => null,
        };
    }

    /// <summary>Whose limit a 429 is; null when <paramref name="error"/> is not a 429.</summary>
    public static OktaThrottle? ThrottleOf(OktaError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error switch
        {
            { HttpStatus: not 429 } => null,
            { RateLimit.Limit: 0 } => OktaThrottle.Concurrency,
            { RateLimit.Remaining: > 0 } => OktaThrottle.Person,
            { RateLimit.Remaining: 0 } => OktaThrottle.OrgBucket,
            _ => OktaThrottle.Unstated,
        };
    }
}
