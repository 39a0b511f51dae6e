using System.Net;
using MfaReset.Okta.Sandbox;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Testing;
using MfaReset.Testing.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using MfaReset.Web.Reset.Policy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MfaReset.Web.Tests.Support;

/// <summary>
/// The portal in a test host, talking over HTTP to its own Okta sandbox, both on one fake clock.
/// Shared by the tests of one class (they run one after another); each test starts with
/// <see cref="FreshStart"/> so limits, flows and the sandbox begin clean.
/// </summary>
public class PortalApp : PortalFactory<Program>, IAsyncLifetime
{
    private RunningSandbox? _sandboxToDispose;

    public FakeTimeProvider Clock { get; } = new(TestClock.DefaultStart);

    /// <summary>Every event the portal logged at Debug and above, through Serilog to the host's providers.</summary>
    public FakeLogCollector Logs { get; } = new();

    public RunningSandbox Sandbox { get; private set; } = default!;

    public ISandboxControl Okta => Sandbox.Control;

    /// <summary>Whether the portal accepts Okta Verify codes beyond the org's rule (<c>Reset:ExtraRecoveryMethods</c>), as the demo does.</summary>
    protected virtual bool AcceptsOktaVerifyCodes => true;

    /// <summary>Sandbox settings a fixture wants on top of the defaults.</summary>
    protected virtual void ConfigureSandbox(SandboxOptions options)
    {
    }

    public async ValueTask InitializeAsync()
    {
        var options = new SandboxOptions();
        options.RateLimits.Enforce = false;
        ConfigureSandbox(options);
        Sandbox = await OktaSandbox.StartAsync(options, Clock);
        _sandboxToDispose = Sandbox;
    }

    /// <summary>A day later: every per-person window, flow and cooldown has passed; the sandbox is back to its seed.</summary>
    public void FreshStart()
    {
        Clock.Advance(TimeSpan.FromDays(1));
        Okta.Reset();
    }

    /// <summary>A new browser: its own cookie jar, https so Secure cookies are kept, redirects not followed.</summary>
    public PortalBrowser NewBrowser() => PortalBrowser.Open(this);

    /// <summary>A new browser on <paramref name="login"/>'s push page, the push sent and pending.</summary>
    public async Task<PortalBrowser> NewBrowserWithPushSentAsync(string login)
    {
        var browser = NewBrowser();
        await browser.ChooseAsync(login, "push");
        await browser.SendPushAsync();
        Assert.Equal("Check your phone", browser.Heading);
        return browser;
    }

    /// <summary>
    /// Posts <paramref name="login"/> on the start page of a new browser while the sandbox stalls its lookup
    /// (for its <c>SlowCallDelay</c>, on the fake clock); returns once the lookup is stalled there, the post still
    /// running. Advance <see cref="Clock"/> by the delay, then await <c>Post</c>.
    /// </summary>
    public async Task<(PortalBrowser Browser, Task<HttpResponseMessage> Post)> StartStalledAtOktaAsync(string login)
    {
        var browser = NewBrowser();
        await browser.GetAsync("/");
        Okta.ScriptNextCall(login, MfaReset.Okta.Sandbox.Control.ScriptedCallFault.Slow);
        var post = browser.PostAsync("/", ("Input.Username", login));
        await Eventually.TrueAsync(() => Okta.GetUser(login).NextCall == MfaReset.Okta.Sandbox.Control.ScriptedCallFault.None, "the lookup is stalled at the sandbox");
        return (browser, post);
    }

    /// <summary>A 6-digit code none of <paramref name="login"/>'s authenticator apps shows now (any code for a name the sandbox does not know).</summary>
    public string WrongTotp(string login)
    {
        var shown = Okta.ListUsers().Any(u => u.Login == login) ? Okta.GetTotpCodes(login).Select(c => c.Code).ToList() : [];
        return Enumerable.Range(0, 10).Select(d => (111_111 * d).ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).First(c => !shown.Contains(c));
    }

    /// <summary>
    /// Okta API calls since the last reset made for people's requests: every call but the org-wide reads of the list of
    /// administrators, which the portal makes in the background (at start and every <c>Reset:AdminListRefreshInterval</c>).
    /// </summary>
    public long RequestOktaCalls => Okta.GetCallCounts().ByOperation
        .Where(p => !OrgListOperations.Contains(p.Key))
        .Sum(p => p.Value);

    /// <summary>Whether <paramref name="operation"/> is one of the background reads of the org's list of administrators.</summary>
    public static bool IsOrgListRead(string? operation) => operation is not null && OrgListOperations.Contains(operation);

    private static readonly HashSet<string> OrgListOperations = new(StringComparer.Ordinal)
    {
        OktaOperations.ListUsersWithRoleAssignments, OktaOperations.ListGroups, OktaOperations.ListGroupAssignedRoles, OktaOperations.ListGroupUsers,
    };

    /// <summary>Okta API calls about <paramref name="login"/> for <paramref name="operation"/> since the last reset.</summary>
    public long CallsFor(string login, string operation) =>
        Okta.GetCallCounts().ByUser.TryGetValue(login, out var byOperation) && byOperation.TryGetValue(operation, out var count) ? count : 0;

    protected override string? EnvironmentName => "Production";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Okta:OrgUrl", Sandbox.BaseUrl.GetLeftPart(UriPartial.Authority));
        builder.UseSetting("Okta:ApiToken", Sandbox.ApiToken);
        // Retries would wait on the fake clock; the client's retries are its own tests' business.
        builder.UseSetting("Okta:MaxRetries", "0");
        builder.UseSetting("Reset:DefaultOktaLatency", "00:00:00");
        // The sandbox's users' domain, as the embedded sandbox sets it.
        builder.UseSetting("Reset:LoginDomain", "example.com");
        if (AcceptsOktaVerifyCodes)
        {
            // Okta Verify codes beyond the org's rule, as the embedded sandbox's demo accepts them (issue 22 item 3).
            builder.UseSetting("Reset:ExtraRecoveryMethods:0", "OktaVerifyTotp");
        }

        // The preflight's reads at start would add to the sandbox's call counts; its own tests switch it on.
        builder.UseSetting("Preflight:AtStart", "false");

        // The environment, and a fixture's Settings on top of the defaults above.
        base.ConfigureWebHost(builder);
        builder.UseSetting("Serilog:MinimumLevel:Default", "Debug");
        builder.ConfigureTestServices(services =>
        {
            services
                .AddSingleton<TimeProvider>(Clock)
                .AddSingleton<IStartupFilter, PeerAddressFilter>()
                .AddSingleton<ILoggerProvider>(new FakeLoggerProvider(Logs));

            // The background refresh of the org's administrators waits on the fake clock: every FreshStart's day-long
            // jump would wake it while a test's own requests run, and a read still in flight at the next jump would time
            // out and count against the shared circuit breaker. Without it the list is read when a request needs it
            // (OrgAdminList reads an untrusted list before answering); the refresh loop has its own tests.
            services.Remove(services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(OrgAdminListRefresh)));
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Interlocked.Exchange(ref _sandboxToDispose, null) is { } sandbox)
        {
            await sandbox.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
