using MfaReset.Okta;
using MfaReset.Web.Flow;

namespace MfaReset.Web.Infrastructure;

/// <summary>
/// The portal's security events, one per step (EventIds 1000-1099: flow; 1100-1199: Okta; 1200-1299: HTTP).
/// Parameters are references and outcomes only: never passwords, codes, tokens, cookie values, phone
/// numbers, usernames or poll links. <c>Subject</c> is the Okta user id, or "unknown" when Okta knows none.
/// </summary>
internal static partial class AuditLog
{
    /// <summary>User-controlled text for a log line: control characters (CR, LF, ...) replaced, length capped, so entries cannot be forged.</summary>
    public static string Safe(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "-";
        }

        var capped = value.Length > 200 ? value[..200] : value;
        return string.Create(capped.Length, capped, static (span, text) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = char.IsControl(text[i]) ? '?' : text[i];
            }
        });
    }

    [LoggerMessage(1000, LogLevel.Information, "Username submitted: flow {FlowRef}, subject {Subject}, outcome {Outcome}")]
    public static partial void UsernameSubmitted(this ILogger logger, string flowRef, string subject, string outcome);

    [LoggerMessage(1001, LogLevel.Information, "Factor chosen: flow {FlowRef}, kind {FactorKind}, enrolled {Enrolled}")]
    public static partial void FactorChosen(this ILogger logger, string flowRef, FactorKind factorKind, bool enrolled);

    [LoggerMessage(1002, LogLevel.Information, "Challenge sent: flow {FlowRef}, subject {Subject}, kind {FactorKind}, outcome {Outcome}")]
    public static partial void ChallengeSent(this ILogger logger, string flowRef, string subject, FactorKind factorKind, string outcome);

    [LoggerMessage(1003, LogLevel.Information, "Code checked: flow {FlowRef}, subject {Subject}, kind {FactorKind}, outcome {Outcome}, attempt {Attempt}")]
    public static partial void CodeChecked(this ILogger logger, string flowRef, string subject, FactorKind factorKind, string outcome, int attempt);

    [LoggerMessage(1004, LogLevel.Information, "Push sent: flow {FlowRef}, subject {Subject}, outcome {Outcome}, number matching {NumberMatching}")]
    public static partial void PushSent(this ILogger logger, string flowRef, string subject, string outcome, bool numberMatching);

    [LoggerMessage(1005, LogLevel.Information, "Push answered: flow {FlowRef}, subject {Subject}, outcome {Outcome}")]
    public static partial void PushAnswered(this ILogger logger, string flowRef, string subject, string outcome);

    [LoggerMessage(1006, LogLevel.Warning, "Limit reached: flow {FlowRef}, subject {Subject}, limit {Limit}")]
    public static partial void LimitReached(this ILogger logger, string flowRef, string subject, string limit);

    [LoggerMessage(1007, LogLevel.Information, "Reset token issued: flow {FlowRef}, subject {Subject}, expires {ExpiresAt:o}")]
    public static partial void TokenIssued(this ILogger logger, string flowRef, string subject, DateTimeOffset expiresAt);

    [LoggerMessage(1008, LogLevel.Warning, "Reset token refused: flow {FlowRef}, subject {Subject}, reason {Reason}")]
    public static partial void TokenRefused(this ILogger logger, string flowRef, string subject, string reason);

    [LoggerMessage(1009, LogLevel.Information, "Password change: flow {FlowRef}, subject {Subject}, outcome {Outcome}")]
    public static partial void PasswordChange(this ILogger logger, string flowRef, string subject, string outcome);

    [LoggerMessage(1010, LogLevel.Information, "Flow ended: flow {FlowRef}, subject {Subject}, stage {Stage}, problem {Problem}")]
    public static partial void FlowEnded(this ILogger logger, string flowRef, string subject, FlowStage stage, FlowProblem? problem);

    [LoggerMessage(1011, LogLevel.Information, "After the change: flow {FlowRef}, subject {Subject}, step {Step}, outcome {Outcome}")]
    public static partial void AfterChange(this ILogger logger, string flowRef, string subject, string step, string outcome);

    [LoggerMessage(1100, LogLevel.Warning, "Okta error: operation {Operation}, status {HttpStatus}, code {ErrorCode}, id {ErrorId}")]
    public static partial void OktaError(this ILogger logger, OktaOperation operation, int httpStatus, string? errorCode, string? errorId);

    [LoggerMessage(1101, LogLevel.Warning, "Okta rate limit: operation {Operation}, limit {Limit}, remaining {Remaining}, reset {ResetAt:o}")]
    public static partial void OktaThrottled(this ILogger logger, OktaOperation operation, int? limit, int? remaining, DateTimeOffset? resetAt);

    [LoggerMessage(1102, LogLevel.Error, "Okta unavailable: operation {Operation}, kind {Kind}, status {HttpStatus}, may have reached Okta {MayHaveReached}")]
    public static partial void OktaUnavailable(this ILogger logger, OktaOperation operation, OktaUnavailableKind kind, int? httpStatus, bool mayHaveReached);

    [LoggerMessage(1103, LogLevel.Error, "Okta call refused by the client: operation {Operation}, flow {FlowRef}")]
    public static partial void OktaRefused(this ILogger logger, OktaOperation operation, string flowRef);

    [LoggerMessage(1200, LogLevel.Warning, "Antiforgery validation failed: path {Path}, client {ClientIp}")]
    public static partial void AntiforgeryFailed(this ILogger logger, string path, string clientIp);

    [LoggerMessage(1201, LogLevel.Warning, "Cross-site request refused: path {Path}, client {ClientIp}")]
    public static partial void CrossSiteRefused(this ILogger logger, string path, string clientIp);

    [LoggerMessage(1202, LogLevel.Information, "Push status asked without a pending push: client {ClientIp}")]
    public static partial void PollWithoutPush(this ILogger logger, string clientIp);

    [LoggerMessage(1204, LogLevel.Warning, "Client over its request limit: client {ClientIp}, limit {Limit} per minute")]
    public static partial void ClientThrottled(this ILogger logger, string clientIp, int limit);

    [LoggerMessage(1203, LogLevel.Error, "Unhandled exception: path {Path}, trace {TraceId}")]
    public static partial void Unhandled(this ILogger logger, Exception exception, string path, string traceId);
}
