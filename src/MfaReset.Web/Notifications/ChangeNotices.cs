using MfaReset.Web.Hosting;
using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Reset.Policy;
using MfaReset.Web.Reset.State;
namespace MfaReset.Web.Notifications;

/// <summary>
/// What the reset flow calls after a password reset or an unlock: puts a notice in the outbox and wakes the
/// sender. Never blocks on mail and never fails the change: an outbox that cannot be written is logged
/// (EventId 1601) and the reset's page still says what happened.
/// </summary>
public sealed class ChangeNotices(
    INoticeStore store,
    NoticeSignal signal,
    TimeProvider timeProvider,
    IOptions<NotificationOptions> options,
    NoticeMetrics metrics,
    ILogger<ChangeNotices> logger)
{
    /// <summary>Queues a notice of <paramref name="kind"/> for the flow's person, in the request's language.</summary>
    public async Task QueueAsync(NoticeKind kind, string oktaUserId, FlowFactor? method, RequestOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        if (!options.Value.Enabled || method is null)
        {
            return;
        }

        var notice = new ChangeNotice(
            FlowSecrets.NewPublicId(),
            kind,
            oktaUserId,
            NoticeCulture(),
            timeProvider.GetUtcNow(),
            origin.ClientIp,
            NoticeText.BrowserFamily(origin.UserAgent),
            method.Kind,
            FactorMenu.PhoneMaskOf(method));
        try
        {
            // The reset is done: a client that goes away now must not cancel its notice.
            await store.EnqueueAsync(notice, notice.ChangedAt, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            logger.NoticeNotQueued(exception, kind, oktaUserId);
            return;
        }

        metrics.Queued(kind);
        logger.NoticeQueued(notice.Id, kind, oktaUserId);
        signal.Notify();
    }

    // The page's language (en, es, fr, de); the pseudo-locale and anything else fall back to English.
    private static string NoticeCulture()
    {
        var name = System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        return PortalLocalization.TranslatedCultures.Contains(name) ? name : "en";
    }
}
