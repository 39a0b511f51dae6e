using MfaReset.Testing;
using MfaReset.Web.Notifications;
using MfaReset.Web.Notifications.PostgreSql;
using MfaReset.Web.Tests.Storage.PostgreSql;

namespace MfaReset.Web.Tests.Notifications;

/// <summary>What every notice store does, run against the in-memory store and PostgreSQL alike.</summary>
public abstract class NoticeStoreBehaviorTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = TestClock.DefaultStart;
    private static readonly CancellationToken Ct = CancellationToken.None;

    protected INoticeStore Store { get; set; } = default!;

    public abstract ValueTask InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        await DisposeStoreAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Drops what the store made (a derived class's database schema).</summary>
    protected virtual ValueTask DisposeStoreAsync() => ValueTask.CompletedTask;

    private async Task<ChangeNotice> QueueAsync(string userId = "00ujane", DateTimeOffset? at = null)
    {
        var notice = NoticeTestParts.Notice(userId, at: at ?? Now);
        await Store.EnqueueAsync(notice, at ?? Now, Ct);
        return notice;
    }

    private static WasntMeLink Link(string hash, DateTimeOffset expiresAt) => new(hash, "n1", "00ujane", NoticeKind.AccountUnlocked, Now, expiresAt);

    [Fact]
    public async Task AClaimedNoticeIsLeasedUntilItsLeaseEndsAndComesBackWhole()
    {
        var notice = await QueueAsync();

        var first = Assert.Single(await Store.ClaimDueAsync(Now, Now.AddMinutes(2), 10, Ct));
        Assert.Equal(notice, first.Notice);
        Assert.Equal((NoticeStatus.Pending, 0, Now), (first.Status, first.Attempts, first.NextAttemptAt));
        Assert.Empty(await Store.ClaimDueAsync(Now.AddMinutes(1), Now.AddMinutes(3), 10, Ct));
        Assert.Single(await Store.ClaimDueAsync(Now.AddMinutes(2), Now.AddMinutes(4), 10, Ct));
    }

    [Fact]
    public async Task RetriedNoticesWaitSentOnesLeaveFailedOnesStayCounted()
    {
        var retried = await QueueAsync();
        var sent = await QueueAsync();
        var failed = await QueueAsync();
        await Store.RetryLaterAsync(retried.Id, 1, Now.AddMinutes(5), "connection", Ct);
        await Store.MarkSentAsync(sent.Id, 1, Ct);
        await Store.MarkFailedAsync(failed.Id, 10, "tls", Ct);

        Assert.Empty(await Store.ClaimDueAsync(Now, Now.AddMinutes(2), 10, Ct));
        Assert.Equal(new OutboxCounts(1, 1), await Store.CountAsync(Ct));
        Assert.Equal((NoticeStatus.Failed, 10, "tls"), ((await Store.GetAsync(failed.Id, Ct))!.Status, (await Store.GetAsync(failed.Id, Ct))!.Attempts, (await Store.GetAsync(failed.Id, Ct))!.LastError));
        var due = Assert.Single(await Store.ClaimDueAsync(Now.AddMinutes(5), Now.AddMinutes(7), 10, Ct));
        Assert.Equal((retried.Id, 1, "connection"), (due.Notice.Id, due.Attempts, due.LastError));
    }

    [Fact]
    public async Task ALinkIsUsedOnceCanBeGivenBackAndExpires()
    {
        await Store.AddLinkAsync(Link("h1", Now.AddDays(7)), Ct);

        Assert.Equal(LinkUse.Claimed, (await Store.UseLinkAsync("h1", Now, Ct)).Use);
        Assert.Equal(LinkUse.AlreadyUsed, (await Store.UseLinkAsync("h1", Now, Ct)).Use);
        await Store.ReleaseLinkAsync("h1", Ct);
        var (use, link) = await Store.UseLinkAsync("h1", Now, Ct);
        Assert.Equal(LinkUse.Claimed, use);
        Assert.Equal(Link("h1", Now.AddDays(7)), link);
        Assert.Equal(LinkUse.NotValid, (await Store.UseLinkAsync("h1", Now.AddDays(7), Ct)).Use);
        Assert.Equal(LinkUse.NotValid, (await Store.UseLinkAsync("nope", Now, Ct)).Use);
    }

    [Fact]
    public async Task ReportsAreListedPerPersonNewestFirst()
    {
        var older = new WasntMeReport("00ujane", "n1", NoticeKind.PasswordReset, Now, Now.AddMinutes(1), "203.0.113.7", true);
        var newer = older with { NoticeId = "n2", ReportedAt = Now.AddMinutes(2), SessionsEnded = false };
        await Store.AddReportAsync(older, Ct);
        await Store.AddReportAsync(newer, Ct);
        await Store.AddReportAsync(older with { OktaUserId = "00uother" }, Ct);

        Assert.Equal([newer, older], await Store.ListAsync("00ujane", Ct));
    }

    [Fact]
    public async Task APurgeRemovesOldDeliveredNoticesLinksAndReportsButNeverAPendingNotice()
    {
        var pending = await QueueAsync();
        var sent = await QueueAsync();
        await Store.MarkSentAsync(sent.Id, 1, Ct);
        await Store.AddLinkAsync(Link("old", Now.AddDays(1)), Ct);
        await Store.AddReportAsync(new WasntMeReport("00ujane", "n1", NoticeKind.PasswordReset, Now, Now, "203.0.113.7", true), Ct);

        await Store.PurgeAsync(Now.AddDays(90), Ct);

        Assert.NotNull(await Store.GetAsync(pending.Id, Ct));
        Assert.Null(await Store.GetAsync(sent.Id, Ct));
        Assert.Equal(LinkUse.NotValid, (await Store.UseLinkAsync("old", Now, Ct)).Use);
        Assert.Empty(await Store.ListAsync("00ujane", Ct));
    }
}

public sealed class InMemoryNoticeStoreTests : NoticeStoreBehaviorTests
{
    public override ValueTask InitializeAsync()
    {
        Store = new InMemoryNoticeStore();
        return ValueTask.CompletedTask;
    }
}

/// <summary>The outbox in PostgreSQL: its own tables, created at start; instances never take the same notice.</summary>
public sealed class PostgreSqlNoticeStoreTests(PostgreSqlServer postgres) : NoticeStoreBehaviorTests
{
    private readonly TestDatabase _database = new(postgres);

    public override async ValueTask InitializeAsync()
    {
        var store = new PostgreSqlNoticeStore(_database.Admin, _database.Schema);
        await store.Tables.EnsureAsync(TestContext.Current.CancellationToken);
        await store.Tables.EnsureAsync(TestContext.Current.CancellationToken); // a second instance's start changes nothing
        Store = store;
    }

    protected override async ValueTask DisposeStoreAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task InstancesClaimingAtOnceNeverTakeTheSameNoticeAndALinkIsUsedByOneOnly()
    {
        var now = TestClock.DefaultStart;
        for (var i = 0; i < 30; i++)
        {
            await Store.EnqueueAsync(NoticeTestParts.Notice("00u" + i, at: now), now, CancellationToken.None);
        }

        await Store.AddLinkAsync(new WasntMeLink("h", "n1", "00ujane", NoticeKind.PasswordReset, now, now.AddDays(1)), CancellationToken.None);
        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Store.ClaimDueAsync(now, now.AddMinutes(2), 10, CancellationToken.None))));
        var uses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Store.UseLinkAsync("h", now, CancellationToken.None))));

        var claimed = claims.SelectMany(c => c).Select(e => e.Notice.Id).ToList();
        Assert.Equal(30, claimed.Count);
        Assert.Equal(30, claimed.Distinct().Count());
        Assert.Equal(1, uses.Count(u => u.Use == LinkUse.Claimed));
        Assert.Equal(5, uses.Count(u => u.Use == LinkUse.AlreadyUsed));
    }
}
