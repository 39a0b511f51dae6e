namespace MfaReset.Web.Notifications;

/// <summary>
/// The durable outbox of notices, the "this wasn't me" links and the reports: separate from the flow records
/// (in memory, or its own PostgreSQL tables when the flow store is shared). Every write is atomic, so several
/// instances may send from one outbox without sending a notice twice while its lease holds.
/// </summary>
public interface INoticeStore : IWasntMeReports
{
    /// <summary>Adds a notice, due at once.</summary>
    Task EnqueueAsync(ChangeNotice notice, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Takes up to <paramref name="max"/> pending notices due at <paramref name="now"/>, oldest first, moving
    /// each one's next attempt to <paramref name="leaseUntil"/> so no other sender takes it meanwhile.
    /// </summary>
    Task<IReadOnlyList<OutboxEntry>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken);

    /// <summary>Records a delivery (attempt number <paramref name="attempts"/>).</summary>
    Task MarkSentAsync(string noticeId, int attempts, CancellationToken cancellationToken);

    /// <summary>Records a failed attempt; the notice is due again at <paramref name="nextAttemptAt"/>.</summary>
    Task RetryLaterAsync(string noticeId, int attempts, DateTimeOffset nextAttemptAt, string reason, CancellationToken cancellationToken);

    /// <summary>Records the last failed attempt: the notice stays, marked failed.</summary>
    Task MarkFailedAsync(string noticeId, int attempts, string reason, CancellationToken cancellationToken);

    /// <summary>The notice and its delivery record, or null.</summary>
    Task<OutboxEntry?> GetAsync(string noticeId, CancellationToken cancellationToken);

    /// <summary>Pending and failed notices.</summary>
    Task<OutboxCounts> CountAsync(CancellationToken cancellationToken);

    /// <summary>Stores a link issued with a sent notice.</summary>
    Task AddLinkAsync(WasntMeLink link, CancellationToken cancellationToken);

    /// <summary>Uses the link with this token hash: unused and unexpired at <paramref name="now"/> becomes used, in one atomic step.</summary>
    Task<(LinkUse Use, WasntMeLink? Link)> UseLinkAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Makes a used link usable again (Okta could not end the sessions; the person may try again).</summary>
    Task ReleaseLinkAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>Adds a report.</summary>
    Task AddReportAsync(WasntMeReport report, CancellationToken cancellationToken);

    /// <summary>Removes sent and failed notices, links and reports older than <paramref name="before"/>.</summary>
    Task PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken);
}

/// <summary>
/// The "this wasn't me" reports, for the help desk console: what a person said was not their doing, newest first.
/// </summary>
public interface IWasntMeReports
{
    /// <summary>The reports about one Okta user, newest first.</summary>
    Task<IReadOnlyList<WasntMeReport>> ListAsync(string oktaUserId, CancellationToken cancellationToken);
}
