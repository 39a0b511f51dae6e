using System.Net;
using System.Net.Sockets;
using MfaReset.Testing;
using MfaReset.Web.Notifications;
using MfaReset.Web.Tests.Support;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MfaReset.Web.Tests.Notifications;

/// <summary>
/// A mail server that refuses the connection, never answers, or fails TLS loses no notice: each attempt fails,
/// is logged and counted, the notice waits in the outbox, and it goes out through real SMTP (smtp4dev) once a
/// working server is configured.
/// </summary>
[Collection(nameof(SmtpFailureTests))]
public sealed class SmtpFailureTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(TestClock.DefaultStart);
    private readonly InMemoryNoticeStore _store = new();
    private readonly FakeOktaClient _okta = new();
    private readonly FakeLogCollector _logs = new();
    private readonly Smtp4Dev _smtp = new();
    private readonly TcpListener _silent = new(IPAddress.Loopback, 0);
    private readonly NotificationOptions _options = new()
    {
        Enabled = true,
        PortalUrl = new Uri("https://reset.example.com/"),
        From = "IT <no-reply@example.com>",
        MaxAttempts = 10,
        FirstRetryDelay = TimeSpan.FromMinutes(1),
        MaxRetryDelay = TimeSpan.FromMinutes(1),
        Smtp = new SmtpOptions { Host = "127.0.0.1", Tls = SmtpTls.None, Timeout = TimeSpan.FromSeconds(1) },
    };

    private readonly NoticeDispatcher _dispatcher;
    private readonly string _login = $"failing-{Guid.NewGuid():N}@example.com";

    public SmtpFailureTests()
    {
        _silent.Start();
        _okta.AddUser(_login, kinds: [MfaReset.Okta.FactorKind.Sms]);
        _dispatcher = new NoticeDispatcher(_store, _okta, NoticeTestParts.Text(), new SmtpNoticeTransport(Microsoft.Extensions.Options.Options.Create(_options)), _clock,
            Microsoft.Extensions.Options.Options.Create(_options), new NoticeMetrics(NoticeTestParts.Meters()), new FakeLogger<NoticeDispatcher>(_logs), new NoServer());
    }

    public void Dispose()
    {
        _silent.Dispose();
        _smtp.Dispose();
    }

    private static int RefusingPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port; // closed again on dispose: nothing listens there
    }

    private async Task<string> AttemptAsync(int port, SmtpTls tls)
    {
        (_options.Smtp.Port, _options.Smtp.Tls) = (port, tls);
        await _dispatcher.SendDueAsync(CancellationToken.None);
        _clock.Advance(_options.MaxRetryDelay);
        return _logs.LatestRecord.Id.Id == 1603 ? _logs.LatestRecord.StructuredState!.Single(s => s.Key == "Reason").Value! : "no failure logged";
    }

    [Fact]
    public async Task RefusedSilentAndTlsFailingServersLoseNoNoticeAndTheNextWorkingOneDeliversIt()
    {
        var notice = NoticeTestParts.Notice(_okta.Users[_login].Id, at: _clock.GetUtcNow());
        await _store.EnqueueAsync(notice, _clock.GetUtcNow(), CancellationToken.None);

        Assert.Equal("connection", await AttemptAsync(RefusingPort(), SmtpTls.None));
        Assert.Equal("timeout", await AttemptAsync(((IPEndPoint)_silent.LocalEndpoint).Port, SmtpTls.None));
        // TLS from the first byte to a server that speaks plain SMTP: the handshake fails.
        Assert.Equal("tls", await AttemptAsync(_smtp.Port, SmtpTls.Implicit));
        // STARTTLS required, and the server does not offer it: refused rather than sent in clear.
        Assert.Equal("tls", await AttemptAsync(_smtp.Port, SmtpTls.StartTls));
        var waiting = (await _store.GetAsync(notice.Id, CancellationToken.None))!;
        Assert.Equal((NoticeStatus.Pending, 4), (waiting.Status, waiting.Attempts));
        Assert.Empty(await _smtp.RawMessagesToAsync(_login));

        (_options.Smtp.Port, _options.Smtp.Tls) = (_smtp.Port, SmtpTls.None);
        await _dispatcher.SendDueAsync(CancellationToken.None);

        Assert.Single(await _smtp.WaitForAsync(_login));
        Assert.Equal((NoticeStatus.Sent, 5), ((await _store.GetAsync(notice.Id, CancellationToken.None))!.Status, (await _store.GetAsync(notice.Id, CancellationToken.None))!.Attempts));
    }
}
