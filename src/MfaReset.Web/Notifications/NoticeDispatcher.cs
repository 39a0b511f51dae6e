using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using MailKit;
using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Reset.State;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using TlsAuthenticationException = System.Security.Authentication.AuthenticationException;

namespace MfaReset.Web.Notifications;

/// <summary>
/// One pass over the outbox: takes the due notices (leased, so another instance skips them), reads each
/// person's addresses and time zone from Okta, issues the notice's "this wasn't me" link and hands the notice
/// to the transport. A failure is logged, counted and retried with doubling waits; after
/// <see cref="NotificationOptions.MaxAttempts"/> the notice is marked failed and kept.
/// </summary>
public sealed class NoticeDispatcher(
    INoticeStore store,
    IOktaClient okta,
    NoticeText text,
    INoticeTransport transport,
    TimeProvider timeProvider,
    IOptions<NotificationOptions> options,
    NoticeMetrics metrics,
    ILogger<NoticeDispatcher> logger,
    IServer server)
{
    /// <summary>Notices taken per pass.</summary>
    public const int BatchSize = 20;

    /// <summary>The page a notice's link opens; the token follows.</summary>
    public const string LinkPath = "notice/wasnt-me/";

    private NotificationOptions Options => options.Value;

    /// <summary>Sends what is due; returns how many notices were attempted.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var due = await store.ClaimDueAsync(now, now + Options.SendLease, BatchSize, cancellationToken).ConfigureAwait(false);
        foreach (var entry in due)
        {
            await SendAsync(entry, cancellationToken).ConfigureAwait(false);
        }

        metrics.Count(await store.CountAsync(cancellationToken).ConfigureAwait(false));
        return due.Count;
    }

    private async Task SendAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var notice = entry.Notice;
        var attempt = entry.Attempts + 1;
        Failure failure;
        try
        {
            failure = await AttemptAsync(notice, attempt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && IsDeliveryFailure(exception))
        {
            failure = new Failure(ReasonOf(exception), exception.GetType().Name + ": " + AuditLog.Safe(exception.Message), Final: false);
        }

        if (failure.Reason.Length == 0)
        {
            return;
        }

        if (failure.Final || attempt >= Options.MaxAttempts)
        {
            await store.MarkFailedAsync(notice.Id, attempt, failure.Reason, CancellationToken.None).ConfigureAwait(false);
            metrics.GaveUp(failure.Reason);
            logger.NoticeFailed(notice.Id, notice.OktaUserId, attempt, failure.Reason, failure.Detail);
            return;
        }

        var next = timeProvider.GetUtcNow() + Options.RetryDelayAfter(attempt);
        await store.RetryLaterAsync(notice.Id, attempt, next, failure.Reason, CancellationToken.None).ConfigureAwait(false);
        metrics.AttemptFailed(failure.Reason);
        logger.NoticeAttemptFailed(notice.Id, notice.OktaUserId, attempt, failure.Reason, failure.Detail, next);
    }

    /// <summary>One attempt; <see cref="Failure.None"/> when the notice went out.</summary>
    private async Task<Failure> AttemptAsync(ChangeNotice notice, int attempt, CancellationToken cancellationToken)
    {
        var read = await okta.GetUserAsync(notice.OktaUserId, cancellationToken).ConfigureAwait(false);
        switch (read)
        {
            case OktaResult<OktaUser>.NotFound:
                return new Failure("user_gone", "Okta no longer has the user", Final: true);
            case not OktaResult<OktaUser>.Ok:
                return new Failure("okta_unavailable", read.GetType().Name, Final: false);
        }

        var user = ((OktaResult<OktaUser>.Ok)read).Value;
        string[] recipients = [.. new[] { user.Email, user.SecondEmail }.OfType<string>().Where(a => a.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];
        if (recipients.Length == 0)
        {
            return new Failure("no_address", "the Okta profile has no email", Final: true);
        }

        // A fresh link per attempt: the outbox never holds a token, and an attempt whose mail did go out
        // after all leaves a second link to the same notice, which reports it just the same.
        var token = FlowSecrets.NewSecret();
        var expiresAt = timeProvider.GetUtcNow() + Options.LinkLifetime;
        await store.AddLinkAsync(new WasntMeLink(FlowSecrets.KeyOf(token), notice.Id, notice.OktaUserId, notice.Kind, notice.ChangedAt, expiresAt), cancellationToken).ConfigureAwait(false);
        var link = new Uri(LinkBase(), LinkPath + token);
        await transport.SendAsync(text.Compose(notice, recipients, user.TimeZone, link, expiresAt), cancellationToken).ConfigureAwait(false);
        await store.MarkSentAsync(notice.Id, attempt, CancellationToken.None).ConfigureAwait(false);
        metrics.Sent();
        logger.NoticeSent(notice.Id, notice.OktaUserId, recipients.Length, attempt);
        return Failure.None;
    }

    /// <summary>
    /// <see cref="NotificationOptions.PortalUrl"/>; in the demo (validated: only with the sandbox inbox) the
    /// address this portal listens on, preferring https. Never anything a request said.
    /// </summary>
    private Uri LinkBase()
    {
        if (Options.PortalUrl is { } configured)
        {
            return configured;
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var chosen = addresses.FirstOrDefault(a => a.StartsWith("https://", StringComparison.Ordinal)) ?? addresses.FirstOrDefault()
            ?? throw new IOException("The portal's address is not known yet.");
        return new Uri(chosen.Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal).TrimEnd('/') + "/");
    }

    private static bool IsDeliveryFailure(Exception exception) =>
        exception is IOException or SocketException or TimeoutException or TlsAuthenticationException or MailKit.Security.AuthenticationException
            or SmtpCommandException or SmtpProtocolException or ServiceNotConnectedException or ServiceNotAuthenticatedException
            or SslHandshakeException or FormatException or NotSupportedException;

    /// <summary>A fixed word for the metric's tag and the outbox record.</summary>
    private static string ReasonOf(Exception exception) => exception switch
    {
        // NotSupportedException: STARTTLS is required and the server does not offer it.
        SslHandshakeException or TlsAuthenticationException or NotSupportedException => "tls",
        MailKit.Security.AuthenticationException => "smtp_auth",
        SocketException => "connection",
        TimeoutException => "timeout",
        SmtpCommandException => "smtp_rejected",
        SmtpProtocolException or IOException => "smtp_protocol",
        FormatException => "bad_address",
        _ => "other",
    };

    private sealed record Failure(string Reason, string Detail, bool Final)
    {
        public static readonly Failure None = new(string.Empty, string.Empty, false);
    }
}
