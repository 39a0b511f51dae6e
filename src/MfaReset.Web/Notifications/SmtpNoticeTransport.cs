using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace MfaReset.Web.Notifications;

/// <summary>
/// Sends a notice through <c>Notifications:Smtp</c> with MailKit: one connection per notice (notices are
/// rare), TLS as configured and required (STARTTLS that the server does not offer fails the attempt),
/// credentials only when configured, and the whole exchange bounded by <see cref="SmtpOptions.Timeout"/>.
/// </summary>
public sealed class SmtpNoticeTransport(IOptions<NotificationOptions> options) : INoticeTransport
{
    public async Task SendAsync(NoticeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        var smtp = settings.Smtp;
        using var mime = ToMime(message, settings.From);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(smtp.Timeout);
        using var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, SocketOptionsOf(smtp.Tls), timeout.Token).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(smtp.Username))
            {
                await client.AuthenticateAsync(smtp.Username, smtp.Password ?? string.Empty, timeout.Token).ConfigureAwait(false);
            }

            await client.SendAsync(mime, timeout.Token).ConfigureAwait(false);
            await client.DisconnectAsync(quit: true, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The SMTP server did not finish within {smtp.Timeout}.");
        }
    }

    /// <summary>The MIME message: plain text, its language in Content-Language, one To per recipient.</summary>
    public static MimeMessage ToMime(NoticeMessage message, string from)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = new TextPart("plain") { Text = message.Text };
        body.Headers.Add(HeaderId.ContentLanguage, message.Culture);
        var mime = new MimeMessage { Subject = message.Subject, Body = body };
        mime.From.Add(MailboxAddress.Parse(from));
        foreach (var recipient in message.Recipients)
        {
            mime.To.Add(MailboxAddress.Parse(recipient));
        }

        // Mail systems must not answer a notice with a vacation reply to the sender's address.
        mime.Headers.Add("Auto-Submitted", "auto-generated");
        return mime;
    }

    private static SecureSocketOptions SocketOptionsOf(SmtpTls tls) => tls switch
    {
        SmtpTls.StartTls => SecureSocketOptions.StartTls,
        SmtpTls.Implicit => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.None,
    };
}
