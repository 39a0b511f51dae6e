using MfaReset.Web.Notifications.PostgreSql;

namespace MfaReset.Web.Notifications;

/// <summary>Creates the notices' PostgreSQL tables at start, when the flow store is PostgreSQL.</summary>
internal sealed class NoticeOutboxSchema(INoticeStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        store is PostgreSqlNoticeStore postgres ? postgres.Tables.EnsureAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
