namespace MfaReset.Web.Notifications;

/// <summary>Hands a composed notice to whatever delivers it; throws when it was not accepted.</summary>
public interface INoticeTransport
{
    Task SendAsync(NoticeMessage message, CancellationToken cancellationToken);
}
