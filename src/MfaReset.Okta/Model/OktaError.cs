namespace MfaReset.Okta;

/// <summary>
/// An Okta error answer as data. <see cref="ErrorSummary"/> and cause summaries may contain user input
/// (Okta has echoed candidate passwords there), so <see cref="ToString"/> leaves them out.
/// </summary>
/// <param name="HttpStatus">The HTTP status code.</param>
/// <param name="ErrorCode">Okta's <c>errorCode</c>, e.g. <c>E0000068</c>; null when the body was not an Okta error.</param>
/// <param name="ErrorSummary">Okta's <c>errorSummary</c>. Treat as sensitive: never log it.</param>
/// <param name="ErrorId">Okta's <c>errorId</c>, useful to Okta support.</param>
/// <param name="ErrorCauses">Okta's <c>errorCauses</c>.</param>
/// <param name="RateLimit">The <c>X-Rate-Limit-*</c> headers, when present.</param>
public sealed record OktaError(
    int HttpStatus,
    string? ErrorCode,
    string? ErrorSummary,
    string? ErrorId,
    IReadOnlyList<OktaErrorCause> ErrorCauses,
    RateLimitInfo? RateLimit)
{
    /// <summary>What the refusal means for the person, when it is one of Okta's refusals that are not outages.</summary>
    public OktaRefusal? Refusal => OktaRefusals.Of(this);

    /// <summary>For a 429: whose limit it is, by its headers.</summary>
    public OktaThrottle? Throttle => OktaRefusals.ThrottleOf(this);

    /// <summary>Only the non-sensitive fields.</summary>
    public override string ToString() => $"Okta error {HttpStatus} {ErrorCode ?? "(no code)"} id {ErrorId ?? "(none)"}";
}

/// <summary>
/// Okta's error codes the portal acts on, and what each means (shared/okta-contract errors/ and
/// reference/error-codes-catalog.json). Where sources disagree, every documented variant is listed.
/// </summary>
public static class OktaErrorCodes
{
    /// <summary>403: the passcode or answer does not match.</summary>
    public const string InvalidPasscode = "E0000068";

    /// <summary>403: the user is locked out.</summary>
    public const string UserLocked = "E0000069";

    /// <summary>429: an SMS was sent less than 30 seconds ago.</summary>
    public const string SmsRecentlySent = "E0000109";

    /// <summary>429: a voice call was made less than 30 seconds ago (the catalog's code for a call resend).</summary>
    public const string CallRecentlyMade = "E0000133";

    /// <summary>429: an email was sent to this address moments ago (Okta allows one every 5 seconds).</summary>
    public const string EmailRecentlySent = "E0000118";

    /// <summary>429: the generic rate limit; the Factors docs' example body for a call resend.</summary>
    public const string RateLimited = "E0000047";

    /// <summary>429: the org's daily SMS limit.</summary>
    public const string SmsOrgDailyLimit = "E0000146";

    /// <summary>429: the org's daily voice-call limit.</summary>
    public const string CallOrgDailyLimit = "E0000147";

    /// <summary>403 (the catalog's older form of <see cref="SmsRateLimit"/>): too many SMS to this number.</summary>
    public const string SmsRateLimitForbidden = "E0000150";

    /// <summary>429: too many SMS to this number or from this org.</summary>
    public const string SmsRateLimit = "E0000204";

    /// <summary>429: too many voice calls to this number or from this org.</summary>
    public const string CallRateLimit = "E0000205";

    /// <summary>403: the passcode was already used.</summary>
    public const string PasscodeReplayed = "E0000082";

    /// <summary>403: the passcode is outside the accepted time window (clock drift).</summary>
    public const string PasscodeTimeWindowExceeded = "E0000083";

    /// <summary>400: API validation failed; on a password set, the password policy's causes.</summary>
    public const string ValidationFailed = "E0000001";

    /// <summary>403: "Update of credentials failed" (Authentication API form of a policy rejection).</summary>
    public const string CredentialsUpdateFailed = "E0000014";

    /// <summary>403: the password does not meet the complexity requirements.</summary>
    public const string PasswordComplexity = "E0000080";

    /// <summary>
    /// Okta refused to send an SMS or make a call for now: the resend throttles and the telephony limits.
    /// The person can wait, or use another method; it never means "too many attempts".
    /// </summary>
    public static bool IsTelephonyThrottle(OktaError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.ErrorCode is SmsRecentlySent or CallRecentlyMade or EmailRecentlySent or SmsOrgDailyLimit or CallOrgDailyLimit or SmsRateLimit or CallRateLimit or SmsRateLimitForbidden
            or OktaRefusals.CallRateLimitForbidden;
    }
}

/// <summary>One entry of Okta's <c>errorCauses</c>. Sensitive like <see cref="OktaError.ErrorSummary"/>.</summary>
public sealed record OktaErrorCause(string ErrorSummary, string? Reason, string? LocationType, string? Location, string? Domain)
{
    /// <summary>Leaves the summary out.</summary>
    public override string ToString() => $"Okta error cause {Reason ?? "(no reason)"} at {Location ?? "(no location)"}";
}

/// <summary>Parsed <c>X-Rate-Limit-Limit</c>, <c>X-Rate-Limit-Remaining</c> and <c>X-Rate-Limit-Reset</c> (UTC epoch seconds).</summary>
public sealed record RateLimitInfo(int? Limit, int? Remaining, DateTimeOffset? ResetAt);
