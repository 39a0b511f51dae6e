using Microsoft.Extensions.Logging;

namespace MfaReset.Okta;

/// <summary>
/// The client's log events (ids 1100-1199). They carry the operation, status, Okta's errorCode,
/// errorId and request id, and durations; never tokens, passwords, passcodes, phone numbers, poll
/// URLs or errorSummary text, which can echo user input.
/// </summary>
internal static partial class OktaClientLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information,
        Message = "Okta {Operation} answered {StatusCode} in {ElapsedMs} ms (request id {OktaRequestId})")]
    public static partial void Answered(ILogger logger, string operation, int statusCode, long elapsedMs, string? oktaRequestId);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning,
        Message = "Okta {Operation} answered {StatusCode} {ErrorCode} (error id {ErrorId}, request id {OktaRequestId}) in {ElapsedMs} ms")]
    public static partial void AnsweredError(ILogger logger, string operation, int statusCode, string? errorCode, string? errorId, string? oktaRequestId, long elapsedMs);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning,
        Message = "Okta {Operation} was rate limited: {ErrorCode}, limit {RateLimitLimit}, remaining {RateLimitRemaining}, reset {RateLimitReset:O}")]
    public static partial void RateLimited(ILogger logger, string operation, string? errorCode, int? rateLimitLimit, int? rateLimitRemaining, DateTimeOffset? rateLimitReset);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning,
        Message = "Okta {Operation} attempt {Attempt} got {Outcome} (request id {OktaRequestId}); retrying in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string operation, int attempt, string outcome, string? oktaRequestId, long delayMs);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Error,
        Message = "Okta {Operation} gave no usable answer: {Kind} (status {StatusCode}, may have reached Okta: {MayHaveReachedOkta}) after {ElapsedMs} ms")]
    public static partial void Unavailable(ILogger logger, string operation, OktaUnavailableKind kind, int? statusCode, bool mayHaveReachedOkta, long elapsedMs);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Error,
        Message = "Okta {Operation} answered {StatusCode} with a body that does not have the documented shape")]
    public static partial void UnreadableBody(ILogger logger, string operation, int statusCode);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Warning,
        Message = "Refused to poll a push transaction: {Reason}; no request was sent")]
    public static partial void PollRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Warning,
        Message = "Refused to send an Okta Verify push: {Reason}; no request was sent")]
    public static partial void PushRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Error,
        Message = "Okta circuit opened after {ConsecutiveFailures} consecutive failed attempts; calls fail fast for {BreakSeconds} s")]
    public static partial void CircuitOpened(ILogger logger, int consecutiveFailures, long breakSeconds);

    [LoggerMessage(EventId = 1109, Level = LogLevel.Information,
        Message = "Okta circuit half-open: letting one trial request through")]
    public static partial void CircuitHalfOpen(ILogger logger);

    [LoggerMessage(EventId = 1110, Level = LogLevel.Information,
        Message = "Okta circuit closed: Okta answered again")]
    public static partial void CircuitClosed(ILogger logger);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Warning,
        Message = "Okta quota low for {Bucket}: {RateLimitRemaining} of {RateLimitLimit} left until {ResetsAt:O}; new flows wait")]
    public static partial void QuotaLow(ILogger logger, OktaQuotaBucket bucket, int rateLimitRemaining, int rateLimitLimit, DateTimeOffset resetsAt);

    [LoggerMessage(EventId = 1112, Level = LogLevel.Error,
        Message = "Okta {Operation}: the list's next page was not followed ({Reason}); the list counts as unreadable")]
    public static partial void PagingRefused(ILogger logger, string operation, string reason);

    /// <summary>Okta's <c>X-Okta-Request-Id</c>, which Okta support asks for (security.md item 78).</summary>
    public static string? RequestIdOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Okta-Request-Id", out var ids) ? ids.FirstOrDefault() : null;
}
