using MfaReset.Okta;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Notifications;
using MfaReset.Web.Tests.Support;
using Microsoft.Extensions.Logging.Testing;

namespace MfaReset.Web.Tests.Notifications;

/// <summary>The flow queues a notice after a password reset or an unlock, and only then; queuing never fails the change.</summary>
public sealed class NoticeQueueTests
{
    private const string NewPassword = "Correct-Horse-42";
    private readonly FlowHarness _h = new();
    private readonly CancellationToken _ct = CancellationToken.None;

    public NoticeQueueTests()
    {
        _h.Okta.AddUser("jane@example.com", kinds: [FactorKind.OktaVerifyTotp, FactorKind.Sms]);
        _h.Okta.AddUser("locked@example.com", OktaUserStatus.LockedOut, kinds: [FactorKind.OktaVerifyTotp]);
    }

    private async Task<IReadOnlyList<OutboxEntry>> QueuedAsync() =>
        await _h.NoticeStore.ClaimDueAsync(_h.Clock.GetUtcNow(), _h.Clock.GetUtcNow(), 100, _ct);

    [Fact]
    public async Task APasswordResetQueuesOneNoticeWithWhenWhereHowAndNoSecret()
    {
        var credentials = await _h.VerifiedAsync("jane@example.com");

        Assert.IsType<ChangePasswordResult.Changed>(await _h.Flow.ChangePasswordAsync(credentials.FlowSecret, credentials.ResetToken, NewPassword, _ct));

        var notice = Assert.Single(await QueuedAsync()).Notice;
        Assert.Equal(NoticeKind.PasswordReset, notice.Kind);
        Assert.Equal(_h.Okta.Users["jane@example.com"].Id, notice.OktaUserId);
        Assert.Equal(_h.Clock.GetUtcNow(), notice.ChangedAt);
        Assert.Equal(FlowHarness.ClientIp, notice.ClientAddress);
        Assert.Equal(FactorKind.OktaVerifyTotp, notice.Method);
        Assert.Equal("en", notice.Culture);
        var everything = notice.ToString();
        Assert.DoesNotContain(NewPassword, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(credentials.ResetToken!, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeOktaClient.ValidCode, everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheNoticeIsInTheLanguageTheFlowUsed()
    {
        var culture = (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture);
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var credentials = await _h.VerifiedAsync("jane@example.com");
            await _h.Flow.ChangePasswordAsync(credentials.FlowSecret, credentials.ResetToken, NewPassword, _ct);
        }
        finally
        {
            (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture) = culture;
        }

        Assert.Equal("de", Assert.Single(await QueuedAsync()).Notice.Culture);
    }

    [Fact]
    public async Task AnUnlockQueuesAnUnlockNotice()
    {
        var started = Assert.IsType<StartResult.Started>(await _h.Flow.StartAsync("locked@example.com", null, FlowPurpose.Unlock, _ct));
        var menu = Assert.IsType<MenuResult.Menu>(await _h.Flow.GetMenuAsync(started.FlowSecret, _ct));
        await _h.Flow.ChooseAsync(started.FlowSecret, menu.Options.Single(o => o.Kind == FactorKind.OktaVerifyTotp).Key, _ct);

        Assert.IsType<VerifyCodeResult.Verified>(await _h.Flow.VerifyCodeAsync(started.FlowSecret, FakeOktaClient.ValidCode, _ct));

        Assert.Equal(NoticeKind.AccountUnlocked, Assert.Single(await QueuedAsync()).Notice.Kind);
    }

    [Fact]
    public async Task NothingThatChangedNoAccountQueuesANotice()
    {
        // A stranger's wrong code, an unknown username's whole walk, a verification without a password set,
        // and a rejected password: none of them changed anything, so no notice can be made to go out.
        var secret = await _h.ChooseAsync("jane@example.com", FactorKind.OktaVerifyTotp);
        _h.Okta.NextVerify.Enqueue(new FactorVerifyResult.Rejected());
        await _h.Flow.VerifyCodeAsync(secret, "000000", _ct);
        var unknown = await _h.ChooseAsync("nobody@example.com", FactorKind.OktaVerifyTotp);
        await _h.Flow.VerifyCodeAsync(unknown, FakeOktaClient.ValidCode, _ct);
        var credentials = await _h.VerifiedAsync("jane@example.com");
        _h.Okta.NextSetPassword.Enqueue(new SetPasswordResult.Rejected(["history"], FakeOktaClient.Error(400, "E0000001")));
        await _h.Flow.ChangePasswordAsync(credentials.FlowSecret, credentials.ResetToken, NewPassword, _ct);

        Assert.Empty(await QueuedAsync());
    }

    [Fact]
    public async Task WithNoticesOffNothingIsQueued()
    {
        _h.Notifications.Enabled = false;
        var credentials = await _h.VerifiedAsync("jane@example.com");

        await _h.Flow.ChangePasswordAsync(credentials.FlowSecret, credentials.ResetToken, NewPassword, _ct);

        Assert.Empty(await QueuedAsync());
    }

    [Fact]
    public async Task AnOutboxThatCannotBeWrittenLeavesTheChangeDoneAndIsLogged()
    {
        var logs = new FakeLogCollector();
        var notices = new ChangeNotices(new BrokenStore(), new NoticeSignal(), _h.Clock,
            Microsoft.Extensions.Options.Options.Create(new NotificationOptions { Enabled = true }), new NoticeMetrics(NoticeTestParts.Meters()), new FakeLogger<ChangeNotices>(logs));

        await notices.QueueAsync(NoticeKind.PasswordReset, "00u1", new FlowFactor("sms", FactorKind.Sms, "Text message (SMS)", "f1"),
            RequestOrigin.Of(System.Net.IPAddress.Loopback, "test"));

        Assert.Contains(logs.GetSnapshot(), r => r.Id.Id == 1601);
    }

    private sealed class BrokenStore : InMemoryNoticeStoreBase
    {
        public override Task EnqueueAsync(ChangeNotice notice, DateTimeOffset now, CancellationToken cancellationToken) =>
            throw new Npgsql.NpgsqlException("the database is down");
    }
}

/// <summary>An in-memory store whose members a test may replace.</summary>
internal class InMemoryNoticeStoreBase : INoticeStore
{
    private readonly InMemoryNoticeStore _inner = new();

    public virtual Task EnqueueAsync(ChangeNotice notice, DateTimeOffset now, CancellationToken cancellationToken) => _inner.EnqueueAsync(notice, now, cancellationToken);

    public Task<IReadOnlyList<OutboxEntry>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken) => _inner.ClaimDueAsync(now, leaseUntil, max, cancellationToken);

    public Task MarkSentAsync(string noticeId, int attempts, CancellationToken cancellationToken) => _inner.MarkSentAsync(noticeId, attempts, cancellationToken);

    public Task RetryLaterAsync(string noticeId, int attempts, DateTimeOffset nextAttemptAt, string reason, CancellationToken cancellationToken) => _inner.RetryLaterAsync(noticeId, attempts, nextAttemptAt, reason, cancellationToken);

    public Task MarkFailedAsync(string noticeId, int attempts, string reason, CancellationToken cancellationToken) => _inner.MarkFailedAsync(noticeId, attempts, reason, cancellationToken);

    public Task<OutboxEntry?> GetAsync(string noticeId, CancellationToken cancellationToken) => _inner.GetAsync(noticeId, cancellationToken);

    public Task<OutboxCounts> CountAsync(CancellationToken cancellationToken) => _inner.CountAsync(cancellationToken);

    public Task AddLinkAsync(WasntMeLink link, CancellationToken cancellationToken) => _inner.AddLinkAsync(link, cancellationToken);

    public Task<(LinkUse Use, WasntMeLink? Link)> UseLinkAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken) => _inner.UseLinkAsync(tokenHash, now, cancellationToken);

    public Task ReleaseLinkAsync(string tokenHash, CancellationToken cancellationToken) => _inner.ReleaseLinkAsync(tokenHash, cancellationToken);

    public Task AddReportAsync(WasntMeReport report, CancellationToken cancellationToken) => _inner.AddReportAsync(report, cancellationToken);

    public Task<IReadOnlyList<WasntMeReport>> ListAsync(string oktaUserId, CancellationToken cancellationToken) => _inner.ListAsync(oktaUserId, cancellationToken);

    public Task PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken) => _inner.PurgeAsync(before, cancellationToken);
}
