using System.Net;
using MfaReset.Okta;
using MfaReset.Testing;
using MfaReset.Web.Notifications;
using MfaReset.Web.Options;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Reset.OktaCalls;
using MfaReset.Web.Reset.Policy;
using MfaReset.Web.Storage;
using MfaReset.Web.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MfaReset.Web.Tests.Support;

/// <summary>
/// A <see cref="ResetFlow"/> on a fake clock, an in-memory store (its calls counted on <see cref="Meters"/>, as the
/// portal registers it) and <see cref="FakeOktaClient"/>, asked
/// by one browser at <see cref="ClientIp"/> (with <see cref="UserAgent"/> unless a test passes another),
/// its log events captured in <see cref="Logs"/>.
/// </summary>
public sealed class FlowHarness
{
    public const string ClientIp = "203.0.113.7";
    public const string UserAgent = "Mozilla/5.0 (test)";
    public static readonly PushRequestContext Browser = new(ClientIp, UserAgent, UseNumberMatching: true);

    /// <param name="configure">Changes to the default options.</param>
    /// <param name="userAgent">The browser's User-Agent.</param>
    /// <param name="oneRequest">
    /// Treat every call of <see cref="Flow"/> as one request, whose Okta calls share <see cref="OktaTotalBudget"/>
    /// as in the portal (where the flow is per request); otherwise each Okta call is on its own.
    /// </param>
    public FlowHarness(Action<ResetOptions>? configure = null, string userAgent = UserAgent, bool oneRequest = false)
    {
        // Decoy padding samples real latencies; on a fake clock those are zero, and so must the fallback be.
        Options.DefaultOktaLatency = TimeSpan.Zero;
        // The harness's org accepts Okta Verify codes, which an Identity Engine rule cannot list (issue 22 item 3):
        // most flow tests verify with one. RecoveryPolicyFlowTests clear it where the rule alone must decide.
        Options.ExtraRecoveryMethods = [FactorKind.OktaVerifyTotp];
        configure?.Invoke(Options);
        Store = new InMemoryFlowStore(Clock);
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        var origin = RequestOrigin.Of(IPAddress.Parse(ClientIp), userAgent);
        Health = new OktaHealth(Clock, options);
        IOktaClient okta = oneRequest ? new OktaRequestBudget(Okta, Clock, OktaTotalBudget) : Okta;
        var services = new ServiceCollection().AddMetrics();
        services.AddHttpClient();
        var provider = services.BuildServiceProvider();
        Meters = provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        Metrics = new PortalMetrics(Meters);
        Passwords = new PasswordChecks(
            provider.GetRequiredService<IHttpClientFactory>(),
            Microsoft.Extensions.Options.Options.Create(PasswordOptions),
            Metrics,
            new FakeLogger<PasswordChecks>(Logs));
        RecoveryPolicy = new OrgRecoveryPolicy(okta, Clock, options, new FakeLogger<OrgRecoveryPolicy>(Logs));
        AdminList = new OrgAdminList(Okta, Clock, options, new FakeLogger<OrgAdminList>(Logs));
        _okta = okta;
        Flow = FlowFrom(origin);
    }

    private readonly IOktaClient _okta;

    /// <summary>The flow as another browser, at <paramref name="clientIp"/>, asks it: the same store, Okta and clock.</summary>
    public ResetFlow FlowFrom(string clientIp) => FlowFrom(RequestOrigin.Of(IPAddress.Parse(clientIp), UserAgent));

    private ResetFlow FlowFrom(RequestOrigin origin)
    {
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        return new ResetFlow(_okta, RecoveryPolicy, AdminList, Quota, Health, Passwords, new MeteredFlowStore(Store, Metrics), new FactorMenu(options), new OktaLatency(Clock, options), Clock, options, origin, Metrics, new FakeLogger<ResetFlow>(Logs),
            Microsoft.Extensions.Options.Options.Create(new OktaOptions { OrgUrl = FakeOktaClient.OrgUrl }),
            new ChangeNotices(NoticeStore, NoticeSignal, Clock, Microsoft.Extensions.Options.Options.Create(Notifications), new NoticeMetrics(Meters), new FakeLogger<ChangeNotices>(Logs)));
    }

    /// <summary>The outbox the flow queues notices in (on, as <see cref="Notifications"/> says).</summary>
    public InMemoryNoticeStore NoticeStore { get; } = new();

    public NoticeSignal NoticeSignal { get; } = new();

    public NotificationOptions Notifications { get; } = new() { Enabled = true, PortalUrl = new Uri("https://reset.example.com/") };

    /// <summary><c>Okta:TotalBudget</c> at its default.</summary>
    public static readonly TimeSpan OktaTotalBudget = TimeSpan.FromSeconds(20);

    public FakeLogCollector Logs { get; } = new();

    /// <summary>The org's administrators as the flow reads them (<see cref="AdminCheckMode.OrgList"/>), from <see cref="Okta"/>.</summary>
    public OrgAdminList AdminList { get; }

    /// <summary>This harness's own meter factory (other tests' measurements never mix in).</summary>
    public System.Diagnostics.Metrics.IMeterFactory Meters { get; }

    /// <summary>The flow's instruments, on <see cref="Meters"/>.</summary>
    public PortalMetrics Metrics { get; }

    public OktaHealth Health { get; }

    public PasswordOptions PasswordOptions { get; } = new();

    public PasswordChecks Passwords { get; }

    public FakeTimeProvider Clock { get; } = new(TestClock.DefaultStart);

    public FakeOktaClient Okta { get; } = new();

    public FakeQuotaMonitor Quota { get; } = new();

    public ResetOptions Options { get; } = new();

    public InMemoryFlowStore Store { get; }

    public ResetFlow Flow { get; }

    /// <summary>The org's recovery rules as the flow reads them (cached across flows, like the portal's singleton).</summary>
    public OrgRecoveryPolicy RecoveryPolicy { get; }

    public async Task<string> StartAsync(string username, string? previous = null) =>
        await Flow.StartAsync(username, previous, TestContext.Current.CancellationToken) switch
        {
            StartResult.Started started => started.FlowSecret,
            var other => throw new InvalidOperationException($"Expected a started flow, got {other}."),
        };

    /// <summary>Starts a flow and chooses the method of <paramref name="kind"/> in the generic menu.</summary>
    public async Task<string> ChooseAsync(string username, FactorKind kind)
    {
        var secret = await StartAsync(username);
        var menu = (MenuResult.Menu)await Flow.GetMenuAsync(secret, TestContext.Current.CancellationToken);
        var key = menu.Options.Single(o => o.Kind == kind).Key;
        await Flow.ChooseAsync(secret, key, TestContext.Current.CancellationToken);
        return secret;
    }

    /// <summary>A flow of a TOTP user that has verified: its rotated cookie and reset token.</summary>
    public async Task<VerifiedCredentials> VerifiedAsync(string username)
    {
        var secret = await ChooseAsync(username, FactorKind.OktaVerifyTotp);
        return await Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, TestContext.Current.CancellationToken) switch
        {
            VerifyCodeResult.Verified verified => verified.Credentials,
            var other => throw new InvalidOperationException($"Expected verification, got {other}."),
        };
    }
}
