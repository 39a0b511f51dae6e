using MfaReset.Web.Hosting;
using MfaReset.Web.Notifications.PostgreSql;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace MfaReset.Web.Notifications;

/// <summary>The notices' registrations: options validated at start, the outbox, the sender and "this wasn't me".</summary>
public static class NotificationSetup
{
    public static IServiceCollection AddChangeNotices(this IServiceCollection services)
    {
        services.AddValidatedOptions<NotificationOptions, NotificationOptionsAnnotations>(NotificationOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>());
        services.TryAddSingleton(SandboxInfo.None);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<NoticeMetrics>();
        services.TryAddSingleton<NoticeSignal>();
        services.TryAddSingleton<InMemoryNoticeStore>();
        services.TryAddSingleton<INoticeStore>(provider =>
        {
            var store = provider.GetRequiredService<IOptions<FlowStoreOptions>>().Value;
            return store.Provider == FlowStoreProvider.PostgreSql
                ? new PostgreSqlNoticeStore(provider.GetRequiredKeyedService<NpgsqlDataSource>(FlowStoreOptions.SectionName), store.Schema)
                : provider.GetRequiredService<InMemoryNoticeStore>();
        });
        services.TryAddSingleton<IWasntMeReports>(provider => provider.GetRequiredService<INoticeStore>());
        services.TryAddSingleton<NoticeText>();
        services.TryAddSingleton<INoticeTransport>(provider =>
            provider.GetRequiredService<IOptions<NotificationOptions>>().Value.Delivery == NoticeDelivery.SandboxInbox
                ? ActivatorUtilities.CreateInstance<SandboxInboxTransport>(provider)
                : ActivatorUtilities.CreateInstance<SmtpNoticeTransport>(provider));
        services.TryAddSingleton<NoticeDispatcher>();
        services.TryAddScoped<ChangeNotices>();
        services.TryAddScoped<WasntMe>();
        services.AddHostedService<NoticeOutboxSchema>();
        services.AddHostedService<NoticeSender>();
        return services;
    }
}
