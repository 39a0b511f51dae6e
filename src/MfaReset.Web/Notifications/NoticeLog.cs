namespace MfaReset.Web.Notifications;

/// <summary>
/// The notices' events (EventIds 1600-1349). References only: the notice id, the Okta user id, reasons; never an
/// address, a link or its token.
/// </summary>
internal static partial class NoticeLog
{
    [LoggerMessage(1600, LogLevel.Information, "Notice {NoticeId} ({Kind}) queued for {Subject}")]
    public static partial void NoticeQueued(this ILogger logger, string noticeId, NoticeKind kind, string subject);

    [LoggerMessage(1601, LogLevel.Error, "Notice ({Kind}) for {Subject} could not be queued; the change itself stands")]
    public static partial void NoticeNotQueued(this ILogger logger, Exception exception, NoticeKind kind, string subject);

    [LoggerMessage(1602, LogLevel.Information, "Notice {NoticeId} sent for {Subject} to {RecipientCount} address(es) on attempt {Attempt}")]
    public static partial void NoticeSent(this ILogger logger, string noticeId, string subject, int recipientCount, int attempt);

    [LoggerMessage(1603, LogLevel.Warning, "Notice {NoticeId} for {Subject}: attempt {Attempt} failed ({Reason}: {Detail}); next attempt at {NextAttemptAt:o}")]
    public static partial void NoticeAttemptFailed(this ILogger logger, string noticeId, string subject, int attempt, string reason, string detail, DateTimeOffset nextAttemptAt);

    [LoggerMessage(1604, LogLevel.Error, "Notice {NoticeId} for {Subject} marked failed after {Attempts} attempt(s) ({Reason}: {Detail}); it stays in the outbox")]
    public static partial void NoticeFailed(this ILogger logger, string noticeId, string subject, int attempts, string reason, string detail);

    [LoggerMessage(1610, LogLevel.Warning, "'This wasn't me' for notice {NoticeId} ({Kind}) of {Subject}: sessions ended {SessionsEnded} ({OktaOutcome}) ClientIp={ClientIp} UserAgent={UserAgent}")]
    public static partial void WasntMeReported(this ILogger logger, string noticeId, NoticeKind kind, string subject, bool sessionsEnded, string oktaOutcome, string clientIp, string userAgent);

    [LoggerMessage(1611, LogLevel.Warning, "'This wasn't me' link refused ({Reason}) ClientIp={ClientIp} UserAgent={UserAgent}")]
    public static partial void WasntMeRefused(this ILogger logger, string reason, string clientIp, string userAgent);
}
