using System.Net.Sockets;
using MfaReset.Okta;
using MfaReset.Testing;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Notifications;
using MfaReset.Web.Tests.Support;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MfaReset.Web.Tests.Notifications;

/// <summary>The sender's pass over the outbox, on a fake clock: who gets what, retries with backoff, failed but kept.</summary>
public sealed class NoticeDispatcherTests
{
    private readonly FakeTimeProvider _clock = new(TestClock.DefaultStart);
    private readonly InMemoryNoticeStore _store = new();
    private readonly FakeOktaClient _okta = new();
    private readonly RecordingTransport _transport = new();
    private readonly FakeLogCollector _logs = new();
    private readonly NotificationOptions _options = new()
    {
        Enabled = true,
        PortalUrl = new Uri("https://reset.example.com/"),
        MaxAttempts = 3,
        FirstRetryDelay = TimeSpan.FromMinutes(1),
        MaxRetryDelay = TimeSpan.FromMinutes(10),
    };

    private readonly NoticeDispatcher _dispatcher;
    private readonly OktaUser _jane;
    private readonly CancellationToken _ct = CancellationToken.None;

    public NoticeDispatcherTests()
    {
        _jane = _okta.AddUser("jane@example.com", kinds: [FactorKind.Sms]) with { SecondEmail = "jane.private@example.org", TimeZone = "Europe/Berlin" };
        _okta.Users["jane@example.com"] = _jane;
        _dispatcher = new NoticeDispatcher(_store, _okta, NoticeTestParts.Text(), _transport, _clock, Microsoft.Extensions.Options.Options.Create(_options),
            new NoticeMetrics(NoticeTestParts.Meters()), new FakeLogger<NoticeDispatcher>(_logs), new NoServer());
    }

    private async Task<ChangeNotice> QueueAsync(string culture = "en")
    {
        var notice = NoticeTestParts.Notice(_jane.Id, culture: culture, at: _clock.GetUtcNow());
        await _store.EnqueueAsync(notice, _clock.GetUtcNow(), _ct);
        return notice;
    }

    [Fact]
    public async Task ANoticeGoesToThePrimaryAndSecondEmailWithWhenWhereHowAndALinkAndIsMarkedSent()
    {
        var notice = await QueueAsync();

        Assert.Equal(1, await _dispatcher.SendDueAsync(_ct));

        var sent = Assert.Single(_transport.Sent);
        Assert.Equal(["jane@example.com", "jane.private@example.org"], sent.Recipients);
        Assert.Equal("Example Corp: your password was reset", sent.Subject);
        Assert.Contains("Your password for Example Corp was reset.", sent.Text, StringComparison.Ordinal);
        // 09:00 UTC is 10:00 in Berlin in January; the zone is named.
        Assert.Contains("10:00", sent.Text, StringComparison.Ordinal);
        Assert.Contains("(Europe/Berlin)", sent.Text, StringComparison.Ordinal);
        Assert.Contains("203.0.113.7, Firefox", sent.Text, StringComparison.Ordinal);
        Assert.Contains("Text message (SMS) to \u2022\u2022\u2022 \u2022\u2022\u2022 0101", sent.Text, StringComparison.Ordinal);
        Assert.Contains("+1 202 555 0100", sent.Text, StringComparison.Ordinal);
        Assert.Matches(@"https://reset\.example\.com/notice/wasnt-me/[A-Za-z0-9_-]{43}\r?\n", sent.Text);
        Assert.Equal(NoticeStatus.Sent, (await _store.GetAsync(notice.Id, _ct))!.Status);
        Assert.Equal(new OutboxCounts(0, 0), await _store.CountAsync(_ct));
    }

    [Fact]
    public async Task WithoutATimeZoneInOktaTheTimeIsUtcAndSaysSo()
    {
        _okta.Users["jane@example.com"] = _jane with { TimeZone = null };
        await QueueAsync();

        await _dispatcher.SendDueAsync(_ct);

        Assert.Contains("(UTC)", Assert.Single(_transport.Sent).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLinkInTheMailIsStoredOnlyAsItsHash()
    {
        var notice = await QueueAsync();
        await _dispatcher.SendDueAsync(_ct);
        var token = System.Text.RegularExpressions.Regex.Match(_transport.Sent[0].Text, "wasnt-me/([A-Za-z0-9_-]+)").Groups[1].Value;

        var (use, link) = await _store.UseLinkAsync(FlowSecrets.KeyOf(token), _clock.GetUtcNow(), _ct);

        Assert.Equal(LinkUse.Claimed, use);
        Assert.Equal(notice.Id, link!.NoticeId);
        Assert.NotEqual(token, link.TokenHash);
        Assert.Equal(_clock.GetUtcNow() + _options.LinkLifetime, link.ExpiresAt);
    }

    [Fact]
    public async Task AFailedSendIsRetriedWithDoublingWaitsAndGoesOutWhenTheServerIsBack()
    {
        var notice = await QueueAsync();
        _transport.Failures.Enqueue(new SocketException((int)SocketError.ConnectionRefused));
        _transport.Failures.Enqueue(new TimeoutException("slow"));

        await _dispatcher.SendDueAsync(_ct);
        var afterFirst = (await _store.GetAsync(notice.Id, _ct))!;
        Assert.Equal((NoticeStatus.Pending, 1, _clock.GetUtcNow() + TimeSpan.FromMinutes(1), "connection"), (afterFirst.Status, afterFirst.Attempts, afterFirst.NextAttemptAt, afterFirst.LastError));
        Assert.Equal(0, await _dispatcher.SendDueAsync(_ct)); // not due yet

        _clock.Advance(TimeSpan.FromMinutes(1));
        await _dispatcher.SendDueAsync(_ct);
        var afterSecond = (await _store.GetAsync(notice.Id, _ct))!;
        Assert.Equal((2, _clock.GetUtcNow() + TimeSpan.FromMinutes(2), "timeout"), (afterSecond.Attempts, afterSecond.NextAttemptAt, afterSecond.LastError));

        _clock.Advance(TimeSpan.FromMinutes(2));
        await _dispatcher.SendDueAsync(_ct);
        Assert.Single(_transport.Sent);
        Assert.Equal(NoticeStatus.Sent, (await _store.GetAsync(notice.Id, _ct))!.Status);
        Assert.Equal(2, _logs.GetSnapshot().Count(r => r.Id.Id == 1603));
    }

    [Fact]
    public async Task AfterTheLastAttemptTheNoticeIsMarkedFailedAndKeptNeverDropped()
    {
        var notice = await QueueAsync();
        for (var i = 0; i < _options.MaxAttempts; i++)
        {
            _transport.Failures.Enqueue(new MailKit.Security.SslHandshakeException("bad certificate"));
        }

        for (var i = 0; i < _options.MaxAttempts; i++)
        {
            await _dispatcher.SendDueAsync(_ct);
            _clock.Advance(_options.MaxRetryDelay);
        }

        var entry = (await _store.GetAsync(notice.Id, _ct))!;
        Assert.Equal((NoticeStatus.Failed, 3, "tls"), (entry.Status, entry.Attempts, entry.LastError));
        Assert.Equal(notice, entry.Notice);
        Assert.Equal(new OutboxCounts(0, 1), await _store.CountAsync(_ct));
        Assert.Contains(_logs.GetSnapshot(), r => r.Id.Id == 1604 && r.Level == Microsoft.Extensions.Logging.LogLevel.Error);
        Assert.Equal(0, await _dispatcher.SendDueAsync(_ct));
    }

    [Fact]
    public async Task OktaUnavailableIsRetriedAndAUserOktaNoLongerHasFailsAtOnce()
    {
        var retried = await QueueAsync();
        _okta.NextGetUser.Enqueue(new OktaResult<OktaUser>.Unavailable(new OktaUnavailable(OktaUnavailableKind.Timeout, RequestMayHaveReachedOkta: true)));
        await _dispatcher.SendDueAsync(_ct);
        Assert.Equal((NoticeStatus.Pending, "okta_unavailable"), ((await _store.GetAsync(retried.Id, _ct))!.Status, (await _store.GetAsync(retried.Id, _ct))!.LastError));

        _clock.Advance(TimeSpan.FromMinutes(1));
        _okta.NextGetUser.Enqueue(new OktaResult<OktaUser>.NotFound(FakeOktaClient.Error(404, "E0000007")));
        await _dispatcher.SendDueAsync(_ct);

        Assert.Equal((NoticeStatus.Failed, "user_gone"), ((await _store.GetAsync(retried.Id, _ct))!.Status, (await _store.GetAsync(retried.Id, _ct))!.LastError));
        Assert.Empty(_transport.Sent);
    }

    [Theory]
    [InlineData("es", "Example Corp: se restableció su contraseña")]
    [InlineData("fr", "Example Corp : votre mot de passe a été réinitialisé")]
    [InlineData("de", "Example Corp: Ihr Passwort wurde zurückgesetzt")]
    public async Task TheNoticeIsWrittenInTheFlowsLanguage(string culture, string subject)
    {
        await QueueAsync(culture);

        await _dispatcher.SendDueAsync(_ct);

        var sent = Assert.Single(_transport.Sent);
        Assert.Equal((culture, subject), (sent.Culture, sent.Subject));
        Assert.DoesNotContain("If this was you", sent.Text, StringComparison.Ordinal);
    }
}
