using MfaReset.Okta.Sandbox.Org;
using MfaReset.Okta.Sandbox.Wire;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MfaReset.Okta.Sandbox.Api;

/// <summary>Okta's error answers, with the codes, statuses and wording of the contract fixtures.</summary>
internal static class OktaErrors
{
    public static IResult InvalidToken() =>
        Error(401, "E0000011", "Invalid token provided");

    /// <summary>The admin role does not permit the operation (errors/E0000006-access-denied.403.json).</summary>
    public static IResult AccessDenied() =>
        Error(403, "E0000006", "You do not have permission to perform the requested action");

    public static IResult UserNotFound(string idOrLogin) =>
        Error(404, "E0000007", $"Not found: Resource not found: {idOrLogin} (User)");

    public static IResult FactorNotFound(string factorId) =>
        Error(404, "E0000007", $"Not found: Resource not found: {factorId} (UserFactor)");

    public static IResult TransactionNotFound(string transactionId) =>
        Error(404, "E0000007", $"Not found: Resource not found: {transactionId} (FactorTransaction)");

    public static IResult ResourceNotFound(string path) =>
        Error(404, "E0000007", $"Not found: Resource not found: {path}");

    public static IResult MalformedBody() =>
        Error(400, "E0000003", "The request body was not well-formed.");

    public static IResult ValidationFailed(string field, string reason) =>
        Error(400, "E0000001", $"Api validation failed: {field}", new ErrorCause($"{field}: {reason}"));

    public static IResult InvalidPasscode() =>
        Error(403, "E0000068", "Invalid Passcode/Answer", new ErrorCause("Your passcode doesn't match our records. Please try again."));

    public static IResult InvalidAnswer() =>
        Error(403, "E0000068", "Invalid Passcode/Answer", new ErrorCause("Your answer doesn't match our records. Please try again."));

    public static IResult PasscodeReplayed() =>
        Error(403, "E0000082", "Each code can only be used once. Please wait for a new code and try again.");

    public static IResult UserLocked() =>
        Error(403, "E0000069", "User Locked");

    public static IResult NotAllowedInStatus() =>
        Error(403, "E0000038", "This operation is not allowed in the user's current status.");

    public static IResult SmsTooSoon() =>
        Error(429, "E0000109", "An SMS message was recently sent. Please wait 30 seconds before trying again.");

    /// <summary>The email resend throttle, as Okta documents it (one email per address every 5 seconds).</summary>
    public static IResult EmailTooSoon() =>
        Error(429, "E0000118", "An email was recently sent. Please wait 5 seconds before trying again.");

    /// <summary>The voice-call resend throttle: Okta's documented example body is the generic E0000047.</summary>
    public static IResult RateLimited() =>
        Error(429, "E0000047", "API call exceeded rate limit due to too many requests.");

    // Okta's refusals that are not outages: codes, statuses and summaries as Okta's error catalog gives them
    // (okta/okta-developer-docs packages/@okta/vuepress-site/data/error-codes.json, release 2023.02.1, 04fe05d94f).

    public static IResult CallRateLimit() =>
        Error(403, "E0000151", "You have reached the limit of call requests, please try again later.");

    public static IResult InternationalPhoneNotAllowed() =>
        Error(403, "E0000099", "Only numbers located in US and Canada are allowed.  Contact your administrator if this is a problem.");

    public static IResult TelephonyOptOut() =>
        Error(400, "E0000140", "Telephony opt out error.");

    public static IResult UnlockNotAllowed() =>
        Error(403, "E0000032", "Unlock is not allowed for this user.");

    public static IResult UserBeingActivated() =>
        Error(409, "E0000112", "Cannot update this user because they are still being activated. Please try again in a few minutes.");

    /// <summary>The catalog's summary is the template <c>{0}.</c>; the sandbox fills it with the reason.</summary>
    public static IResult AdditionalChallenge() =>
        Error(409, "E0000113", "An additional challenge is required for this factor.");

    /// <summary>
    /// A failed <c>If-Match</c> on updateUser. Okta's spec documents the header (updateUser and replaceUser:
    /// "a conditional request used for concurrency control") but neither the status nor the body of its
    /// failure: 412 is HTTP's (RFC 9110 13.1.1); the code and summary are the sandbox's own choice.
    /// </summary>
    public static IResult PreconditionFailed() =>
        Error(412, "E0000000", "Precondition failed: the user changed since the version named in If-Match.");

    public static IResult ServerError() =>
        Error(500, "E0000009", "Internal Server Error");

    /// <summary>One cause per broken rule, in the field-level form; the candidate password is never repeated.</summary>
    /// <summary>
    /// 400 <c>E0000001</c> with one field-level cause per broken rule (the 2018 release notes' format). Okta
    /// publishes no API body for the minimum age (shared/okta-contract reference/password-policy-messages.json);
    /// its cause uses the sign-in widget's own wording of the rule (<c>password.complexity.minAgeMinutes</c>).
    /// </summary>
    public static IResult PasswordRejected(IEnumerable<PasswordRule> broken, int minAgeMinutes) =>
        Error(400, "E0000001", "Api validation failed: password", [.. broken.Select(rule => PasswordCause(rule, minAgeMinutes))]);

    private static ErrorCause PasswordCause(PasswordRule rule, int minAgeMinutes)
    {
        var (reason, summary) = rule switch
        {
            PasswordRule.MinimumLength => ("LENGTH_MINIMUM", $"Passwords must be at least {PasswordPolicy.MinimumLength} characters in length"),
            PasswordRule.LowercaseRequired => ("LOWER_CASE_REQUIRED", "Password requirements: at least 0 characters, a lowercase letter."),
            PasswordRule.UppercaseRequired => ("UPPER_CASE_REQUIRED", "Password requirements: at least 0 characters, an uppercase letter."),
            PasswordRule.NumberRequired => ("NUMBER_REQUIRED", "Password requirements: at least 0 characters, a number."),
            PasswordRule.NoPartsOfUsername => ("USERNAME_PARTS_NOT_ALLOWED", "Password requirements: at least 0 characters, no parts of your username."),
            PasswordRule.RecentlyUsed => ("PASSWORD_HISTORY", $"Password has been used too recently. Password requirements: not one of your last {PasswordPolicy.HistoryCount} passwords."),
            PasswordRule.MinimumAge => ("PASSWORD_MIN_AGE", $"At least {minAgeMinutes} minute(s) must have elapsed since you last changed your password."),
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
        };
        return new ErrorCause($"password: {summary}", reason, "credentials.password.value", "body", "user");
    }

    private static JsonHttpResult<ErrorBody> Error(int status, string code, string summary, params ErrorCause[] causes) =>
        TypedResults.Json(
            new ErrorBody(code, summary, code, "oae" + FactorVerifier.RandomId(22), causes),
            OktaJson.Context.ErrorBody,
            statusCode: status);
}
