namespace MfaReset.Web.Notifications;

/// <summary>
/// The outbox, links and reports of one instance, under one lock. Lost on restart, like the in-memory flow
/// store: a deployment that must keep notices across restarts uses PostgreSQL (<c>FlowStore:Provider</c>).
/// </summary>
public sealed class InMemoryNoticeStore : INoticeStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, OutboxEntry> _outbox = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (WasntMeLink Link, bool Used)> _links = new(StringComparer.Ordinal);
    private readonly List<WasntMeReport> _reports = [];

    public Task EnqueueAsync(ChangeNotice notice, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        lock (_lock)
        {
            _outbox.Add(notice.Id, new OutboxEntry(notice, NoticeStatus.Pending, 0, now, null));
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<OutboxEntry>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var due = _outbox.Values
                .Where(e => e.Status == NoticeStatus.Pending && e.NextAttemptAt <= now)
                .OrderBy(e => e.NextAttemptAt).ThenBy(e => e.Notice.ChangedAt)
                .Take(max)
                .ToList();
            foreach (var entry in due)
            {
                _outbox[entry.Notice.Id] = entry with { NextAttemptAt = leaseUntil };
            }

            return Task.FromResult<IReadOnlyList<OutboxEntry>>(due);
        }
    }

    public Task MarkSentAsync(string noticeId, int attempts, CancellationToken cancellationToken) =>
        Update(noticeId, e => e with { Status = NoticeStatus.Sent, Attempts = attempts, LastError = null });

    public Task RetryLaterAsync(string noticeId, int attempts, DateTimeOffset nextAttemptAt, string reason, CancellationToken cancellationToken) =>
        Update(noticeId, e => e with { Attempts = attempts, NextAttemptAt = nextAttemptAt, LastError = reason });

    public Task MarkFailedAsync(string noticeId, int attempts, string reason, CancellationToken cancellationToken) =>
        Update(noticeId, e => e with { Status = NoticeStatus.Failed, Attempts = attempts, LastError = reason });

    public Task<OutboxEntry?> GetAsync(string noticeId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_outbox.GetValueOrDefault(noticeId));
        }
    }

    public Task<OutboxCounts> CountAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(new OutboxCounts(
                _outbox.Values.Count(e => e.Status == NoticeStatus.Pending),
                _outbox.Values.Count(e => e.Status == NoticeStatus.Failed)));
        }
    }

    public Task AddLinkAsync(WasntMeLink link, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        lock (_lock)
        {
            _links.Add(link.TokenHash, (link, false));
        }

        return Task.CompletedTask;
    }

    public Task<(LinkUse Use, WasntMeLink? Link)> UseLinkAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_links.TryGetValue(tokenHash, out var stored) || stored.Link.ExpiresAt <= now)
            {
                return Task.FromResult<(LinkUse, WasntMeLink?)>((LinkUse.NotValid, null));
            }

            if (stored.Used)
            {
                return Task.FromResult<(LinkUse, WasntMeLink?)>((LinkUse.AlreadyUsed, stored.Link));
            }

            _links[tokenHash] = (stored.Link, true);
            return Task.FromResult<(LinkUse, WasntMeLink?)>((LinkUse.Claimed, stored.Link));
        }
    }

    public Task ReleaseLinkAsync(string tokenHash, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_links.TryGetValue(tokenHash, out var stored))
            {
                _links[tokenHash] = (stored.Link, false);
            }
        }

        return Task.CompletedTask;
    }

    public Task AddReportAsync(WasntMeReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        lock (_lock)
        {
            _reports.Add(report);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<WasntMeReport>> ListAsync(string oktaUserId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<WasntMeReport>>(
                [.. _reports.Where(r => string.Equals(r.OktaUserId, oktaUserId, StringComparison.Ordinal)).OrderByDescending(r => r.ReportedAt)]);
        }
    }

    public Task PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var id in _outbox.Values.Where(e => e.Status != NoticeStatus.Pending && e.Notice.ChangedAt < before).Select(e => e.Notice.Id).ToList())
            {
                _outbox.Remove(id);
            }

            foreach (var hash in _links.Values.Where(l => l.Link.ExpiresAt < before).Select(l => l.Link.TokenHash).ToList())
            {
                _links.Remove(hash);
            }

            _reports.RemoveAll(r => r.ReportedAt < before);
        }

        return Task.CompletedTask;
    }

    private Task Update(string noticeId, Func<OutboxEntry, OutboxEntry> change)
    {
        lock (_lock)
        {
            if (_outbox.TryGetValue(noticeId, out var entry))
            {
                _outbox[noticeId] = change(entry);
            }
        }

        return Task.CompletedTask;
    }
}
