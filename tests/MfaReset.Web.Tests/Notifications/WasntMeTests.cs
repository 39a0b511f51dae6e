using MfaReset.Okta;
using MfaReset.Testing;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Notifications;
using MfaReset.Web.Tests.Support;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MfaReset.Web.Tests.Notifications;

/// <summary>"This wasn't me": a single-use, expiring link that ends the person's sessions and records a report.</summary>
public sealed class WasntMeTests
{
    private readonly FakeTimeProvider _clock = new(TestClock.DefaultStart);
    private readonly InMemoryNoticeStore _store = new();
    private readonly FakeOktaClient _okta = new();
    private readonly FakeLogCollector _logs = new();
    private readonly WasntMe _wasntMe;
    private readonly CancellationToken _ct = CancellationToken.None;

    public WasntMeTests() =>
        _wasntMe = new WasntMe(_store, _okta, _clock, RequestOrigin.Of(System.Net.IPAddress.Parse("198.51.100.9"), "Mozilla/5.0"), new NoticeMetrics(NoticeTestParts.Meters()), new FakeLogger<WasntMe>(_logs));

    private async Task<string> LinkAsync(TimeSpan lifetime)
    {
        var token = FlowSecrets.NewSecret();
        await _store.AddLinkAsync(new WasntMeLink(FlowSecrets.KeyOf(token), "n1", "00ujane", NoticeKind.PasswordReset, _clock.GetUtcNow(), _clock.GetUtcNow() + lifetime), _ct);
        return token;
    }

    [Fact]
    public async Task ALinkEndsThePersonsSessionsAndTokensAndRecordsAReportTheHelpDeskCanList()
    {
        var token = await LinkAsync(TimeSpan.FromDays(7));

        Assert.Equal(WasntMeOutcome.SessionsEnded, await _wasntMe.ReportAsync(token, _ct));

        Assert.Equal(1, _okta.CountOf(nameof(IOktaClient.RevokeSessionsAsync)));
        Assert.True(_okta.LastRevokeOAuthTokens);
        var report = Assert.Single(await ((IWasntMeReports)_store).ListAsync("00ujane", _ct));
        Assert.Equal(new WasntMeReport("00ujane", "n1", NoticeKind.PasswordReset, TestClock.DefaultStart, _clock.GetUtcNow(), "198.51.100.9", SessionsEnded: true), report);
        Assert.Contains(_logs.GetSnapshot(), r => r.Id.Id == 1610);
        Assert.Empty(await ((IWasntMeReports)_store).ListAsync("00uother", _ct));
    }

    [Fact]
    public async Task AReplayedLinkDoesNothingMore()
    {
        var token = await LinkAsync(TimeSpan.FromDays(7));
        await _wasntMe.ReportAsync(token, _ct);

        Assert.Equal(WasntMeOutcome.AlreadyUsed, await _wasntMe.ReportAsync(token, _ct));

        Assert.Equal(1, _okta.CountOf(nameof(IOktaClient.RevokeSessionsAsync)));
        Assert.Single(await _store.ListAsync("00ujane", _ct));
    }

    [Fact]
    public async Task AnExpiredLinkAForgedOneAndAMalformedOneCallNothing()
    {
        var expired = await LinkAsync(TimeSpan.FromHours(1));
        _clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(WasntMeOutcome.NotValid, await _wasntMe.ReportAsync(expired, _ct));
        Assert.Equal(WasntMeOutcome.NotValid, await _wasntMe.ReportAsync(FlowSecrets.NewSecret(), _ct));
        Assert.Equal(WasntMeOutcome.NotValid, await _wasntMe.ReportAsync("not-a-token", _ct));
        Assert.Equal(WasntMeOutcome.NotValid, await _wasntMe.ReportAsync(null, _ct));

        Assert.Empty(_okta.Calls);
        Assert.Empty(await _store.ListAsync("00ujane", _ct));
    }

    [Fact]
    public async Task WhenOktaCannotEndTheSessionsThePageSaysSoTheReportStandsAndTheLinkWorksAgain()
    {
        var token = await LinkAsync(TimeSpan.FromDays(7));
        _okta.NextRevoke.Enqueue(new OktaResult<NoContent>.Unavailable(new OktaUnavailable(OktaUnavailableKind.Timeout, RequestMayHaveReachedOkta: true)));

        Assert.Equal(WasntMeOutcome.SessionsNotEnded, await _wasntMe.ReportAsync(token, _ct));
        Assert.False(Assert.Single(await _store.ListAsync("00ujane", _ct)).SessionsEnded);

        Assert.Equal(WasntMeOutcome.SessionsEnded, await _wasntMe.ReportAsync(token, _ct));
        Assert.Equal(2, _okta.CountOf(nameof(IOktaClient.RevokeSessionsAsync)));
    }
}
