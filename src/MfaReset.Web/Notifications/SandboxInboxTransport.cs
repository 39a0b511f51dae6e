using MfaReset.Web.Hosting;
namespace MfaReset.Web.Notifications;

/// <summary>
/// The demo's delivery (<c>Notifications:Delivery</c> SandboxInbox): the notice lands in the embedded sandbox's
/// phone simulator inbox, where the email codes are, instead of going through a mail server.
/// </summary>
public sealed class SandboxInboxTransport(SandboxInfo sandbox) : INoticeTransport
{
    public Task SendAsync(NoticeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var inbox = sandbox.Control ?? throw new IOException("The embedded sandbox has not started yet.");
        foreach (var recipient in message.Recipients)
        {
            try
            {
                inbox.DeliverMail(recipient, message.Subject, message.Text);
            }
            catch (KeyNotFoundException)
            {
                throw new IOException("The sandbox has no inbox for this address.");
            }
        }

        return Task.CompletedTask;
    }
}
