using System.Diagnostics.Metrics;
using MfaReset.Okta;
using MfaReset.Web.Notifications;
using MfaReset.Web.Options;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;

namespace MfaReset.Web.Tests.Notifications;

/// <summary>The pieces notice tests build a dispatcher from: real texts, a recording transport, a meter factory of their own.</summary>
internal static class NoticeTestParts
{
    public static IMeterFactory Meters() => new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    public static NoticeText Text(BrandingOptions? branding = null)
    {
        var factory = new ResourceManagerStringLocalizerFactory(
            Microsoft.Extensions.Options.Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance);
        return new NoticeText(new StringLocalizer<SharedResource>(factory), Microsoft.Extensions.Options.Options.Create(branding ?? new BrandingOptions
        {
            OrganizationName = "Example Corp",
            HelpDeskPhone = "+1 202 555 0100",
        }));
    }

    public static ChangeNotice Notice(string userId, NoticeKind kind = NoticeKind.PasswordReset, string culture = "en", DateTimeOffset? at = null) =>
        new(MfaReset.Web.Reset.State.FlowSecrets.NewPublicId(), kind, userId, culture, at ?? MfaReset.Testing.TestClock.DefaultStart, "203.0.113.7", "Firefox", FactorKind.Sms, "\u2022\u2022\u2022 \u2022\u2022\u2022 0101");
}

/// <summary>A transport that records what it was given, or fails as told.</summary>
internal sealed class RecordingTransport : INoticeTransport
{
    public List<NoticeMessage> Sent { get; } = [];

    /// <summary>Thrown by the next sends, one per send, while any are left.</summary>
    public Queue<Exception> Failures { get; } = new();

    public Task SendAsync(NoticeMessage message, CancellationToken cancellationToken)
    {
        if (Failures.TryDequeue(out var failure))
        {
            throw failure;
        }

        Sent.Add(message);
        return Task.CompletedTask;
    }
}

/// <summary>A server with no addresses: the tests configure <c>Notifications:PortalUrl</c>.</summary>
internal sealed class NoServer : IServer
{
    public IFeatureCollection Features { get; } = new FeatureCollection();

    public void Dispose()
    {
    }

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
