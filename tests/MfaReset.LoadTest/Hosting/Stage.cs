using System.Globalization;
using MfaReset.LoadTest.Sandbox;
using MfaReset.Okta.Sandbox;
using MfaReset.Web.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MfaReset.LoadTest.Hosting;

/// <summary>What a stage is built with: its Okta latency and where the sandbox runs.</summary>
/// <param name="LoadTestUsers">Generated sandbox users; each reset of the stage takes one of its own.</param>
/// <param name="OktaLatency">Fixed latency the sandbox adds to every Okta call.</param>
/// <param name="OktaJitter">Uniform extra latency, 0 to this, on top.</param>
/// <param name="SandboxInOwnProcess">Keep the sandbox's memory out of this process's heap (figure 4).</param>
/// <param name="Portal">Portal settings on top of the stage's own (e.g. <c>Reset:RevokeSessions</c>).</param>
/// <param name="PortalDll">Run the portal as its own process from this build (figure 4); null: in this process.</param>
/// <param name="Sandbox">Sandbox settings on top of the stage's own (e.g. <c>Sandbox:PushLifetime</c>), in its own process or in this one.</param>
/// <param name="PostgresConnection">
/// The PostgreSQL flow store on this server, in a schema of the stage's own (dropped with the stage); null: the in-memory store.
/// </param>
/// <param name="Instances">Portal instances in this process sharing the stage's store and sandbox (more than one needs PostgreSQL).</param>
/// <param name="PendingLifetime">
/// With a value, <c>Benchmark:LongPushWaits</c>: the portal keeps a push pending, and a flow alive and idle, this long
/// (beyond Okta's 5 minutes, at most an hour), and so does the sandbox; null: the portal's production caps.
/// </param>
/// <param name="PortalEnvironment">Environment variables of the portal's own process only (e.g. <c>DOTNET_GCConserveMemory</c>).</param>
internal sealed record StageSettings(
    int LoadTestUsers,
    TimeSpan OktaLatency,
    TimeSpan OktaJitter,
    bool SandboxInOwnProcess = false,
    IReadOnlyDictionary<string, string?>? Portal = null,
    string? PortalDll = null,
    IReadOnlyDictionary<string, string>? Sandbox = null,
    string? PostgresConnection = null,
    int Instances = 1,
    TimeSpan? PendingLifetime = null,
    IReadOnlyDictionary<string, string>? PortalEnvironment = null);

/// <summary>
/// A portal, its Okta sandbox and a fresh pool of users: what one measured run drives. In process, every
/// run gets a new stage so no run inherits another's flows, limits or warm caches of users.
/// </summary>
internal sealed class Stage : IAsyncDisposable
{
    // The portal's default; a stage in this process sets it explicitly so the figure's target is known.
    public static readonly TimeSpan DefaultPushPollInterval = TimeSpan.FromSeconds(3);

    // The longest the portal allows (Okta's own push lifetime), and its idle timeout, also the longest allowed (security.md 51).
    private static readonly TimeSpan DefaultPushLifetime = TimeSpan.FromMinutes(5);

    private readonly List<IAsyncDisposable> _owned;

    private Stage(
        IReadOnlyList<Uri> portalUrls, Uri oktaUrl, ISandboxProbe probe, UserPool users, PortalProcess? portalProcess, List<IAsyncDisposable> owned,
        StageStore? store = null, ResetOptions? resetOptions = null, TimeSpan? pushLifetime = null)
    {
        PushLifetime = pushLifetime ?? DefaultPushLifetime;
        ResetOptions = resetOptions;
        PortalUrls = portalUrls;
        PortalUrl = portalUrls[0];
        Store = store;
        OktaUrl = oktaUrl;
        Probe = probe;
        Users = users;
        PortalProcess = portalProcess;
        _owned = owned;
    }

    /// <summary>The first (or only) portal instance.</summary>
    public Uri PortalUrl { get; }

    /// <summary>Every portal instance of the stage, all on one store and one sandbox.</summary>
    public IReadOnlyList<Uri> PortalUrls { get; }

    /// <summary>The stage's PostgreSQL schema when its portals use the PostgreSQL store; null with the in-memory store.</summary>
    public StageStore? Store { get; }

    /// <summary>The sandbox standing in for the Okta org.</summary>
    public Uri OktaUrl { get; }

    public ISandboxProbe Probe { get; }

    public UserPool Users { get; }

    /// <summary>The portal's own process when this stage started one (its memory and metrics can then be read); else null.</summary>
    public PortalProcess? PortalProcess { get; }

    /// <summary>The <c>Reset</c> options the stage's portals run with (its limits); null for a portal in another process.</summary>
    public ResetOptions? ResetOptions { get; }

    /// <summary>How often the portal may ask Okta about one push (external portals are assumed to keep the default).</summary>
    public TimeSpan PushPollInterval { get; } = DefaultPushPollInterval;

    /// <summary>How long a push stays pending in the portal, and how long a flow may idle (external portals are assumed to keep the defaults).</summary>
    public TimeSpan PushLifetime { get; }

    /// <summary>Drives the portal and sandbox someone else started.</summary>
    public static async Task<Stage> ExternalAsync(Uri portalUrl, Uri sandboxUrl, HttpClient http, CancellationToken ct)
    {
        var probe = new HttpProbe(http, sandboxUrl);
        var users = new UserPool(await probe.UsersAsync(ct).ConfigureAwait(false));
        return new Stage([portalUrl], sandboxUrl, probe, users, portalProcess: null, []);
    }

    /// <summary>Starts a sandbox and the portals pointed at it, in this process or each in its own.</summary>
    public static async Task<Stage> StartAsync(StageSettings settings, HttpClient http, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Instances, 1);
        if (settings.Instances > 1 && (settings.PostgresConnection is null || settings.PortalDll is not null))
        {
            throw new ArgumentException("Portal instances share flows, limits and keys only through the PostgreSQL store, and run in this process.", nameof(settings));
        }

        var owned = new List<IAsyncDisposable>();
        try
        {
            var (orgUrl, token, probe) = settings.SandboxInOwnProcess
                ? await StartSandboxProcessAsync(settings, http, owned, ct).ConfigureAwait(false)
                : await StartSandboxAsync(settings, owned, ct).ConfigureAwait(false);
            var portalSettings = PortalSettings(orgUrl, token);
            var store = settings.PostgresConnection is { } connection
                ? await StageStore.CreateAsync(connection, portalSettings, owned, ct).ConfigureAwait(false)
                : null;
            foreach (var (key, value) in settings.Portal ?? new Dictionary<string, string?>())
            {
                portalSettings[key] = value;
            }

            if (settings.PendingLifetime is { } pending)
            {
                // Accepted against the sandbox only: the portal is told its loopback org is the standalone sandbox.
                portalSettings[BenchmarkOptions.LongPushWaitsKey] = "true";
                portalSettings["Sandbox:Enabled"] = "true";
                foreach (var lifetime in new[] { "Reset:PushLifetime", "Reset:IdleTimeout", "Reset:FlowLifetime" })
                {
                    portalSettings[lifetime] = pending.ToString("c", CultureInfo.InvariantCulture);
                }
            }

            PortalProcess? process = null;
            var portalUrls = new List<Uri>();
            ResetOptions? resetOptions = null;
            if (settings.PortalDll is { } dll)
            {
                var environment = PortalProcess.EnvironmentOf(portalSettings);
                environment["ASPNETCORE_ENVIRONMENT"] = "Production";
                foreach (var (name, value) in settings.PortalEnvironment ?? new Dictionary<string, string>())
                {
                    environment[name] = value;
                }
                process = PortalProcess.Start(dll, environment);
                owned.Add(process);
                await process.WaitListeningAsync(TimeProvider.System, ct).ConfigureAwait(false);
                portalUrls.Add(process.Url);
            }
            else
            {
                for (var i = 0; i < settings.Instances; i++)
                {
                    var portal = new PortalFactory(portalSettings);
                    owned.Add(portal);
                    portalUrls.Add(portal.Start());
                    resetOptions ??= portal.Services.GetRequiredService<IOptions<ResetOptions>>().Value;
                }
            }

            var users = new UserPool(await probe.UsersAsync(ct).ConfigureAwait(false));
            return new Stage(portalUrls, orgUrl, probe, users, process, owned, store, resetOptions, settings.PendingLifetime);
        }
        catch
        {
            await DisposeAllAsync(owned).ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => DisposeAllAsync(_owned);

    /// <summary>The largest bucket the sandbox accepts: more than any run here sends in a minute.</summary>
    private const int UnlimitedPerMinute = 1_000_000;

    private static async Task<(Uri, string, ISandboxProbe)> StartSandboxAsync(
        StageSettings settings, List<IAsyncDisposable> owned, CancellationToken ct)
    {
        var options = new SandboxOptions
        {
            LoadTestUsers = settings.LoadTestUsers,
            // The benchmark measures the portal; the org's quotas are reported as calls per reset instead. The
            // buckets are as large as the sandbox allows too: a bucket that is not enforced still reports its
            // remaining count, and at these rates an empty one reads as Okta's quota spent (the Busy page).
            RateLimits = new SandboxRateLimitOptions
            {
                Enforce = false,
                UserReadsPerMinute = UnlimitedPerMinute,
                UserWritesPerMinute = UnlimitedPerMinute,
                OtherPerMinute = UnlimitedPerMinute,
            },
            Faults = new SandboxFaultOptions { Latency = settings.OktaLatency, LatencyJitter = settings.OktaJitter },
        };
        if (settings.Sandbox is { Count: > 0 } extra)
        {
            new ConfigurationBuilder()
                .AddInMemoryCollection(extra.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)))
                .Build().GetSection(SandboxOptions.SectionName).Bind(options);
        }

        var sandbox = await OktaSandbox.StartAsync(options, TimeProvider.System, ct).ConfigureAwait(false);
        owned.Add(sandbox);
        return (sandbox.BaseUrl, sandbox.ApiToken, new InProcessProbe(sandbox.Control));
    }

    private static async Task<(Uri, string, ISandboxProbe)> StartSandboxProcessAsync(
        StageSettings settings, HttpClient http, List<IAsyncDisposable> owned, CancellationToken ct)
    {
        var sandboxSettings = new Dictionary<string, string>
        {
            ["Sandbox:LoadTestUsers"] = settings.LoadTestUsers.ToString(CultureInfo.InvariantCulture),
            ["Sandbox:RateLimits:Enforce"] = "false",
            ["Sandbox:RateLimits:UserReadsPerMinute"] = UnlimitedPerMinute.ToString(CultureInfo.InvariantCulture),
            ["Sandbox:RateLimits:UserWritesPerMinute"] = UnlimitedPerMinute.ToString(CultureInfo.InvariantCulture),
            ["Sandbox:RateLimits:OtherPerMinute"] = UnlimitedPerMinute.ToString(CultureInfo.InvariantCulture),
            ["Sandbox:Faults:Latency"] = settings.OktaLatency.ToString("c"),
            ["Sandbox:Faults:LatencyJitter"] = settings.OktaJitter.ToString("c"),
        };
        foreach (var (key, value) in settings.Sandbox ?? new Dictionary<string, string>())
        {
            sandboxSettings[key] = value;
        }

        var sandbox = await SandboxProcess.StartAsync(sandboxSettings, ct).ConfigureAwait(false);
        owned.Add(sandbox);
        return (sandbox.BaseUrl, sandbox.ApiToken, new HttpProbe(http, sandbox.BaseUrl));
    }

    private static Dictionary<string, string?> PortalSettings(Uri orgUrl, string apiToken) => new()
    {
        ["Okta:OrgUrl"] = orgUrl.GetLeftPart(UriPartial.Authority),
        ["Okta:ApiToken"] = apiToken,
        ["Reset:PushPollInterval"] = DefaultPushPollInterval.ToString("c"),
        ["Reset:PushLifetime"] = DefaultPushLifetime.ToString("c"),
        ["Reset:IdleTimeout"] = DefaultPushLifetime.ToString("c"),
        // The driver measures the portal, not Okta's quota: the sandbox's buckets run low within seconds
        // at these rates, and the portal would rightly stop starting flows (security.md 75).
        ["Okta:LowQuotaFraction"] = "0",
        // A full run sends more codes in minutes than an org does in a day.
        ["Reset:Limits:SendsPerDayGlobal"] = "10000000",
        // The journeys verify with Okta Verify codes, which the sandbox org's rule (like any Identity Engine
        // rule) does not list: accepted beyond the rule, as the embedded demo does (issue 22 item 3).
        ["Reset:ExtraRecoveryMethods:0"] = "OktaVerifyTotp",
        // The bare page figure 3 compares the reset pages with.
        ["Benchmark:BaselinePage"] = "true",
        // Per-request console logs would cost more than the pages; warnings and errors still show.
        ["Serilog:MinimumLevel"] = "Warning",
        // Kestrel here listens on http only, as behind a TLS-terminating proxy; the redirect has no port to go to.
        ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore.HttpsPolicy"] = "Error",
    };

    private static async ValueTask DisposeAllAsync(List<IAsyncDisposable> owned)
    {
        // Portal first, then its sandbox: the reverse of starting.
        for (var i = owned.Count - 1; i >= 0; i--)
        {
            await owned[i].DisposeAsync().ConfigureAwait(false);
        }
    }
}
