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
    /// <summary>Only the non-sensitive fields.</summary>
    public override string ToString() => $"Okta error {HttpStatus} {ErrorCode ?? "(no code)"} id {ErrorId ?? "(none)"}";
}

/// <summary>One entry of Okta's <c>errorCauses</c>. Sensitive like <see cref="OktaError.ErrorSummary"/>.</summary>
public sealed record OktaErrorCause(string ErrorSummary, string? Reason, string? LocationType, string? Location, string? Domain)
{
    /// <summary>Leaves the summary out.</summary>
    public override string ToString() => $"Okta error cause {Reason ?? "(no reason)"} at {Location ?? "(no location)"}";
}

/// <summary>Parsed <c>X-Rate-Limit-Limit</c>, <c>X-Rate-Limit-Remaining</c> and <c>X-Rate-Limit-Reset</c> (UTC epoch seconds).</summary>
public sealed record RateLimitInfo(int? Limit, int? Remaining, DateTimeOffset? ResetAt);
