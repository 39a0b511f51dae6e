using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Reset.State;
namespace MfaReset.Web.Notifications;

/// <summary>What a "this wasn't me" confirmation did, for its page.</summary>
public enum WasntMeOutcome
{
    /// <summary>Okta ended every session of the account, and the report is recorded.</summary>
    SessionsEnded,

    /// <summary>The report is recorded but Okta did not end the sessions; the link works again.</summary>
    SessionsNotEnded,

    /// <summary>The link was used before: its report stands.</summary>
    AlreadyUsed,

    /// <summary>Expired, malformed, or never issued.</summary>
    NotValid,
}

/// <summary>
/// "This wasn't me": a link's single-use token, confirmed by a POST, ends the person's Okta sessions (and
/// OAuth tokens), records an audit event and a report for the help desk. The token is checked only here, by
/// its hash; the page shows nothing about the account, so whoever else opens the link learns nothing.
/// </summary>
public sealed class WasntMe(INoticeStore store, IOktaClient okta, TimeProvider timeProvider, RequestOrigin origin, NoticeMetrics metrics, ILogger<WasntMe> logger)
{
    public async Task<WasntMeOutcome> ReportAsync(string? token, CancellationToken cancellationToken)
    {
        if (!FlowSecrets.IsWellFormed(token))
        {
            logger.WasntMeRefused("malformed", origin.ClientIp, origin.UserAgent);
            return WasntMeOutcome.NotValid;
        }

        var hash = FlowSecrets.KeyOf(token!);
        var (use, link) = await store.UseLinkAsync(hash, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (use != LinkUse.Claimed)
        {
            logger.WasntMeRefused(use == LinkUse.AlreadyUsed ? "already-used" : "expired-or-unknown", origin.ClientIp, origin.UserAgent);
            return use == LinkUse.AlreadyUsed ? WasntMeOutcome.AlreadyUsed : WasntMeOutcome.NotValid;
        }

        // Claimed: from here the person's own click must finish even if the browser goes away. Remembered devices are
        // forgotten too: someone else's device may be among them.
        var revoke = await okta.RevokeSessionsAsync(link!.OktaUserId, revokeOAuthTokens: true, forgetDevices: true, CancellationToken.None).ConfigureAwait(false);
        var ended = revoke is OktaResult<NoContent>.Ok;
        await store.AddReportAsync(
            new WasntMeReport(link.OktaUserId, link.NoticeId, link.Kind, link.ChangedAt, timeProvider.GetUtcNow(), origin.ClientIp, ended),
            CancellationToken.None).ConfigureAwait(false);
        metrics.Reported(ended);
        logger.WasntMeReported(link.NoticeId, link.Kind, link.OktaUserId, ended, revoke.GetType().Name, origin.ClientIp, origin.UserAgent);
        if (!ended)
        {
            // The sessions are still open: the person may press again once Okta answers.
            await store.ReleaseLinkAsync(hash, CancellationToken.None).ConfigureAwait(false);
            return WasntMeOutcome.SessionsNotEnded;
        }

        return WasntMeOutcome.SessionsEnded;
    }
}
