using System.Data.Common;
using Npgsql;

namespace MfaReset.Web.Notifications.PostgreSql;

/// <summary>
/// The outbox, links and reports in their own tables beside the flow store's (same schema and pool, separate
/// statements). Claiming due notices uses <c>FOR UPDATE SKIP LOCKED</c>, so instances never take the same one;
/// using a link is one conditional <c>UPDATE ... RETURNING</c>.
/// </summary>
public sealed class PostgreSqlNoticeStore(NpgsqlDataSource dataSource, string schema) : INoticeStore
{
    private const string NoticeColumns = "id, kind, okta_user_id, culture, changed_at, client_address, browser, method, method_mask, status, attempts, next_attempt_at, last_error";

    /// <summary>Creates or upgrades the tables (idempotent, under an advisory lock).</summary>
    public NoticeOutboxTables Tables { get; } = new(dataSource, schema);

    public async Task EnqueueAsync(ChangeNotice notice, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        await ExecuteAsync(
            $"""
            INSERT INTO "{schema}".notice_outbox ({NoticeColumns})
            VALUES (@id, @kind, @user, @culture, @changed_at, @client, @browser, @method, @mask, 0, 0, @now, NULL)
            """, cancellationToken,
            new NpgsqlParameter<string>("id", notice.Id), new NpgsqlParameter<short>("kind", (short)notice.Kind), new NpgsqlParameter<string>("user", notice.OktaUserId),
            new NpgsqlParameter<string>("culture", notice.Culture), new NpgsqlParameter<DateTimeOffset>("changed_at", notice.ChangedAt),
            new NpgsqlParameter<string>("client", notice.ClientAddress), new NpgsqlParameter<string>("browser", notice.Browser),
            new NpgsqlParameter<short>("method", (short)notice.Method), new NpgsqlParameter("mask", (object?)notice.MethodMask ?? DBNull.Value),
            new NpgsqlParameter<DateTimeOffset>("now", now)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<OutboxEntry>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            UPDATE "{schema}".notice_outbox o SET next_attempt_at = @lease
            FROM (SELECT id, next_attempt_at AS due FROM "{schema}".notice_outbox
                  WHERE status = 0 AND next_attempt_at <= @now ORDER BY next_attempt_at, changed_at LIMIT @max FOR UPDATE SKIP LOCKED) d
            WHERE o.id = d.id
            RETURNING o.id, o.kind, o.okta_user_id, o.culture, o.changed_at, o.client_address, o.browser, o.method, o.method_mask, o.status, o.attempts, d.due, o.last_error
            """);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("lease", leaseUntil));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now));
        command.Parameters.Add(new NpgsqlParameter<int>("max", max));
        return await ReadEntriesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public Task MarkSentAsync(string noticeId, int attempts, CancellationToken cancellationToken) =>
        SetStatusAsync(noticeId, NoticeStatus.Sent, attempts, null, null, cancellationToken);

    public Task RetryLaterAsync(string noticeId, int attempts, DateTimeOffset nextAttemptAt, string reason, CancellationToken cancellationToken) =>
        SetStatusAsync(noticeId, NoticeStatus.Pending, attempts, nextAttemptAt, reason, cancellationToken);

    public Task MarkFailedAsync(string noticeId, int attempts, string reason, CancellationToken cancellationToken) =>
        SetStatusAsync(noticeId, NoticeStatus.Failed, attempts, null, reason, cancellationToken);

    public async Task<OutboxEntry?> GetAsync(string noticeId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""SELECT {NoticeColumns} FROM "{schema}".notice_outbox WHERE id = @id""");
        command.Parameters.Add(new NpgsqlParameter<string>("id", noticeId));
        return (await ReadEntriesAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task<OutboxCounts> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""SELECT count(*) FILTER (WHERE status = 0), count(*) FILTER (WHERE status = 2) FROM "{schema}".notice_outbox""");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new OutboxCounts(reader.GetInt64(0), reader.GetInt64(1));
    }

    public async Task AddLinkAsync(WasntMeLink link, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        await ExecuteAsync(
            $"""
            INSERT INTO "{schema}".wasnt_me_links (token_hash, notice_id, okta_user_id, kind, changed_at, expires_at, used)
            VALUES (@hash, @notice, @user, @kind, @changed_at, @expires_at, false)
            """, cancellationToken,
            new NpgsqlParameter<string>("hash", link.TokenHash), new NpgsqlParameter<string>("notice", link.NoticeId), new NpgsqlParameter<string>("user", link.OktaUserId),
            new NpgsqlParameter<short>("kind", (short)link.Kind), new NpgsqlParameter<DateTimeOffset>("changed_at", link.ChangedAt),
            new NpgsqlParameter<DateTimeOffset>("expires_at", link.ExpiresAt)).ConfigureAwait(false);
    }

    public async Task<(LinkUse Use, WasntMeLink? Link)> UseLinkAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // One statement: the row as it was before (used_before) and whether this call used it.
        await using var command = dataSource.CreateCommand(
            $"""
            WITH found AS (SELECT * FROM "{schema}".wasnt_me_links WHERE token_hash = @hash AND expires_at > @now FOR UPDATE),
                 claimed AS (UPDATE "{schema}".wasnt_me_links l SET used = true FROM found WHERE l.token_hash = found.token_hash AND NOT found.used RETURNING l.token_hash)
            SELECT found.notice_id, found.okta_user_id, found.kind, found.changed_at, found.expires_at, EXISTS (SELECT 1 FROM claimed) FROM found
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("hash", tokenHash));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return (LinkUse.NotValid, null);
        }

        var link = new WasntMeLink(tokenHash, reader.GetString(0), reader.GetString(1), (NoticeKind)reader.GetInt16(2),
            reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4));
        return (reader.GetBoolean(5) ? LinkUse.Claimed : LinkUse.AlreadyUsed, link);
    }

    public Task ReleaseLinkAsync(string tokenHash, CancellationToken cancellationToken) =>
        ExecuteAsync($"""UPDATE "{schema}".wasnt_me_links SET used = false WHERE token_hash = @hash""", cancellationToken,
            new NpgsqlParameter<string>("hash", tokenHash));

    public async Task AddReportAsync(WasntMeReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        await ExecuteAsync(
            $"""
            INSERT INTO "{schema}".wasnt_me_reports (okta_user_id, notice_id, kind, changed_at, reported_at, client_address, sessions_ended)
            VALUES (@user, @notice, @kind, @changed_at, @reported_at, @client, @ended)
            """, cancellationToken,
            new NpgsqlParameter<string>("user", report.OktaUserId), new NpgsqlParameter<string>("notice", report.NoticeId), new NpgsqlParameter<short>("kind", (short)report.Kind),
            new NpgsqlParameter<DateTimeOffset>("changed_at", report.ChangedAt), new NpgsqlParameter<DateTimeOffset>("reported_at", report.ReportedAt),
            new NpgsqlParameter<string>("client", report.ClientAddress), new NpgsqlParameter<bool>("ended", report.SessionsEnded)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<WasntMeReport>> ListAsync(string oktaUserId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT okta_user_id, notice_id, kind, changed_at, reported_at, client_address, sessions_ended
            FROM "{schema}".wasnt_me_reports WHERE okta_user_id = @user ORDER BY reported_at DESC, id DESC
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("user", oktaUserId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var reports = new List<WasntMeReport>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            reports.Add(new WasntMeReport(reader.GetString(0), reader.GetString(1), (NoticeKind)reader.GetInt16(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5), reader.GetBoolean(6)));
        }

        return reports;
    }

    public Task PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        ExecuteAsync(
            $"""
            DELETE FROM "{schema}".notice_outbox WHERE status <> 0 AND changed_at < @before;
            DELETE FROM "{schema}".wasnt_me_links WHERE expires_at < @before;
            DELETE FROM "{schema}".wasnt_me_reports WHERE reported_at < @before;
            """, cancellationToken, new NpgsqlParameter<DateTimeOffset>("before", before));

    private Task SetStatusAsync(string noticeId, NoticeStatus status, int attempts, DateTimeOffset? nextAttemptAt, string? error, CancellationToken cancellationToken) =>
        ExecuteAsync(
            $"""
            UPDATE "{schema}".notice_outbox SET status = @status, attempts = @attempts, next_attempt_at = coalesce(@next, next_attempt_at), last_error = @error
            WHERE id = @id
            """, cancellationToken,
            new NpgsqlParameter<string>("id", noticeId), new NpgsqlParameter<short>("status", (short)status), new NpgsqlParameter<int>("attempts", attempts),
            new NpgsqlParameter("next", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)nextAttemptAt ?? DBNull.Value },
            new NpgsqlParameter("error", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)error ?? DBNull.Value });

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<OutboxEntry>> ReadEntriesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var entries = new List<OutboxEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(ReadEntry(reader));
        }

        return entries;
    }

    private static OutboxEntry ReadEntry(DbDataReader reader) => new(
        new ChangeNotice(reader.GetString(0), (NoticeKind)reader.GetInt16(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4),
            reader.GetString(5), reader.GetString(6), (FactorKind)reader.GetInt16(7), reader.IsDBNull(8) ? null : reader.GetString(8)),
        (NoticeStatus)reader.GetInt16(9),
        reader.GetInt32(10),
        reader.GetFieldValue<DateTimeOffset>(11),
        reader.IsDBNull(12) ? null : reader.GetString(12));
}
