using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using MfaReset.Okta.Sandbox;
using MfaReset.Web.Reset.State;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging.Abstractions;

namespace MfaReset.Web.Hosting;

/// <summary>
/// The composition root's one use of the sandbox: when <c>Okta:OrgUrl</c> is not configured (and the start
/// rules allow it: <see cref="SandboxStartRules"/>), run the Okta emulator on a loopback port inside this
/// process and point the Okta client at it. With a real org configured nothing of the sandbox runs. With <c>Okta:Authorization=PrivateKeyJwt</c> the portal
/// calls the sandbox as its OAuth service app (<c>Sandbox:ServiceApp:RequireDpop</c>, <c>RequireDpopNonce</c>),
/// with a key pair made for the run.
/// </summary>
/// <remarks>
/// The org URL and token are fixed while the portal is being configured, but the sandbox itself starts
/// with the host (before its server and hosted services): building another host before the portal's
/// would be mistaken for the portal by <c>WebApplicationFactory</c>, which takes the first host built.
/// </remarks>
public static partial class EmbeddedSandbox
{
    public const string SectionName = SandboxOptions.SectionName;

    /// <summary>The demo's one switch that offers every method the portal supports, email included.</summary>
    public const string AllMethodsKey = "Sandbox:AllMethods";

    /// <summary>
    /// Chooses the Okta the portal talks to (<see cref="SandboxStartRules"/>): a real org, the embedded
    /// sandbox (planned here, started with the host) or the standalone one; registers <see cref="SandboxInfo"/>,
    /// the demo's <see cref="DemoHolds"/> and the start-up line naming the org's host. False, with the one line
    /// that says why, when the portal must not start.
    /// </summary>
    public static bool TryAddSandboxWhenNoOrg(this WebApplicationBuilder builder, [NotNullWhen(false)] out string? refusal)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var start = SandboxStartRules.Decide(
            builder.Configuration[SandboxStartRules.OrgUrlKey], builder.Configuration[SandboxStartRules.EnabledKey], builder.Environment.IsDevelopment());
        if (start.Refusal is not null)
        {
            refusal = start.Refusal;
            return false;
        }

        if (SandboxStartRules.BenchmarkRefusal(builder.Configuration[BenchmarkOptions.LongPushWaitsKey], start.Mode) is { } benchmark)
        {
            refusal = benchmark;
            return false;
        }

        var allMethods = builder.Configuration[AllMethodsKey];
        if (!string.IsNullOrWhiteSpace(allMethods) && !bool.TryParse(allMethods, out _))
        {
            refusal = $"{AllMethodsKey}=\"{allMethods}\" is neither true nor false.";
            return false;
        }

        if (bool.TryParse(allMethods, out var offerEveryMethod) && offerEveryMethod)
        {
            if (start.Mode == SandboxMode.None)
            {
                refusal = $"{AllMethodsKey} is a switch of the demo emulator; with an Okta org list the methods in Reset:EnabledFactorKinds.";
                return false;
            }

            builder.Configuration.AddInMemoryCollection(ResetOptions.SupportedKinds.Select((kind, i) =>
                KeyValuePair.Create($"Reset:EnabledFactorKinds:{i}", (string?)kind.ToString())));
        }

        var info = start.Mode switch
        {
            SandboxMode.Embedded => PlanEmbedded(builder),
            SandboxMode.Standalone => PlanStandalone(builder),
            _ => SandboxInfo.None,
        };
        builder.Services.AddSingleton(info);
        if (info.IsSandbox)
        {
            // Demo-only: with a real org nothing can clear the portal's holds.
            builder.Services.AddSingleton<DemoHolds>();
        }

        builder.Services.AddHostedService(sp => new OrgAnnouncement(
            builder.Configuration[SandboxStartRules.OrgUrlKey], info.Mode, builder.Environment.EnvironmentName, sp.GetRequiredService<ILogger<OrgAnnouncement>>()));
        refusal = null;
        return true;
    }

    private static SandboxInfo PlanStandalone(WebApplicationBuilder builder)
    {
        var orgUrl = new Uri(builder.Configuration[SandboxStartRules.OrgUrlKey]!);
        var info = new SandboxInfo(SandboxMode.Standalone) { PhoneSimulatorUrl = new Uri(orgUrl, OktaSandbox.PhoneSimulatorPath) };
        var offered = OfferedKindNames(builder.Configuration);
        builder.Services.AddHostedService(sp => new StandaloneSandboxResets(
            orgUrl, offered, sp.GetRequiredService<DemoHolds>(), sp.GetRequiredService<ILogger<StandaloneSandboxResets>>()));
        return info;
    }

    // Reset:EnabledFactorKinds as configured (names, as the sandbox's factor kinds spell them), or the defaults.
    private static string[] OfferedKindNames(ConfigurationManager configuration)
    {
        var enabled = configuration.GetSection("Reset:EnabledFactorKinds").GetChildren().Select(c => c.Value).OfType<string>().ToArray();
        return enabled.Length > 0 ? enabled : [.. ResetOptions.DefaultKinds.Select(k => k.ToString())];
    }

    private static SandboxInfo PlanEmbedded(WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(SectionName).Get<SandboxOptions>() ?? new SandboxOptions();
        // A stable port (Sandbox:Port) keeps an open simulator tab working across restarts; when it is
        // taken (a second portal, the standalone sandbox) any free one does, and the start says so.
        var wanted = options.Port;
        options.Port = wanted != 0 && IsFree(wanted) ? wanted : FreeLoopbackPort();
        options.ApiToken = string.IsNullOrWhiteSpace(options.ApiToken) ? FlowSecrets.NewSecret() : options.ApiToken;
        var settings = new Dictionary<string, string?>
        {
            ["Okta:OrgUrl"] = $"http://127.0.0.1:{options.Port}",
            ["Okta:ApiToken"] = options.ApiToken,
            // The demo users' domain: a short name typed for an unknown account counts as that login (Reset:LoginDomain).
            ["Reset:LoginDomain"] = builder.Configuration["Reset:LoginDomain"] ?? "example.com",
            // The demo's change notices land in the phone simulator's inbox unless configured otherwise.
            ["Notifications:Enabled"] = builder.Configuration["Notifications:Enabled"] ?? "true",
            ["Notifications:Delivery"] = builder.Configuration["Notifications:Delivery"] ?? "SandboxInbox",
        };
        if (!builder.Configuration.GetSection("Reset:ExtraRecoveryMethods").GetChildren().Any())
        {
            // The demo accepts Okta Verify codes, which the demo org's rule (like any Identity Engine rule) cannot
            // list, so its Okta Verify users can be shown: an operator's explicit choice, never the portal's default.
            settings["Reset:ExtraRecoveryMethods:0"] = nameof(FactorKind.OktaVerifyTotp);
        }
        if (string.Equals(builder.Configuration["Okta:Authorization"], nameof(OktaAuthorization.PrivateKeyJwt), StringComparison.OrdinalIgnoreCase))
        {
            // The portal as a service app of the sandbox: a demo key pair made for this run, held in memory only.
            // The portal is not given the sandbox's API token, so every call it makes must carry an OAuth token.
            settings.Remove("Okta:ApiToken");
            using var key = RSA.Create(2048);
            options.ServiceApp.PublicKey = key.ExportSubjectPublicKeyInfoPem();
            settings["Okta:ClientId"] = options.ServiceApp.ClientId;
            settings["Okta:KeyId"] = options.ServiceApp.KeyId;
            settings["Okta:PrivateKey"] = key.ExportPkcs8PrivateKeyPem();
        }

        PlanHelpDeskDemo(builder.Configuration, options, settings);
        builder.Configuration.AddInMemoryCollection(settings);

        // The simulator flags the demo users' methods the portal does not offer (email, unless switched on).
        options.PortalFactorKinds = OfferedKindNames(builder.Configuration);

        var info = new SandboxInfo(SandboxMode.Embedded);
        builder.Services.AddSingleton<IHostedService>(sp => new Lifetime(
            options, wanted, info, sp.GetRequiredService<DemoHolds>(), sp.GetRequiredService<IServer>(), sp.GetRequiredService<ILoggerFactory>()));
        return info;
    }

    /// <summary>
    /// The demo's help-desk console: on unless <c>HelpDesk:Enabled</c> says otherwise, signing agents in at the
    /// sandbox's org authorization server with a client secret made for this run (in memory on both sides).
    /// </summary>
    private static void PlanHelpDeskDemo(ConfigurationManager configuration, SandboxOptions options, Dictionary<string, string?> settings)
    {
        if (configuration["HelpDesk:Enabled"] is { } enabled && !bool.Parse(enabled))
        {
            return;
        }

        var secret = FlowSecrets.NewSecret();
        options.SignInApp.ClientSecret = secret;
        options.SignInApp.AllowLoopbackRedirects = true;
        settings["HelpDesk:Enabled"] = "true";
        settings["HelpDesk:ClientId"] = options.SignInApp.ClientId;
        settings["HelpDesk:ClientSecret"] = secret;
        settings["HelpDesk:AgentGroup"] = configuration["HelpDesk:AgentGroup"] ?? MfaReset.Okta.Sandbox.OAuth.DemoAgents.HelpDeskGroup;
    }

    /// <summary>
    /// <c>/sandbox/phone</c>: the simulator's stable name on the portal (the banner links here), redirecting
    /// to wherever the embedded sandbox listens. 404 with a real org.
    /// </summary>
    public static WebApplication MapSandboxPhone(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(SandboxInfo.PhonePath, (SandboxInfo sandbox) => sandbox.PhoneSimulatorUrl is { } url ? Results.Redirect(url.ToString()) : Results.NotFound());
        return app;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            probe.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>Starts the sandbox before the portal's server listens, stops it with the host.</summary>
    private sealed class Lifetime(SandboxOptions options, int wantedPort, SandboxInfo info, DemoHolds holds, IServer server, ILoggerFactory loggerFactory)
        : IHostedLifecycleService, IAsyncDisposable
    {
        private RunningSandbox? _sandbox;

        // The sandbox's host is built without the portal's execution context. WebApplicationFactory
        // recognises the host it is waiting for by an AsyncLocal set on the thread that runs Program, and
        // keeps applying its configuration to every host built in that flow: when this start overtook the
        // factory's return, the sandbox got the test's Kestrel endpoint too (two addresses) and its
        // services. Nothing of the caller's ambient context belongs to a separate host anyway.
        private Task<RunningSandbox> StartDetachedAsync(CancellationToken cancellationToken)
        {
            using (ExecutionContext.SuppressFlow())
            {
                return Task.Run(() => OktaSandbox.StartAsync(options, TimeProvider.System, new QuietHostingLogs(loggerFactory), cancellationToken), cancellationToken);
            }
        }

        public async Task StartingAsync(CancellationToken cancellationToken)
        {
            _sandbox = await StartDetachedAsync(cancellationToken).ConfigureAwait(false);
            info.PhoneSimulatorUrl = _sandbox.PhoneSimulatorUrl;
            info.Control = _sandbox.Control;
            var logger = loggerFactory.CreateLogger(typeof(EmbeddedSandbox));
            if (wantedPort != 0 && wantedPort != options.Port)
            {
                Log.SandboxPortTaken(logger, wantedPort, options.Port);
            }

            Log.SandboxStarted(logger, _sandbox.BaseUrl, _sandbox.PhoneSimulatorUrl);

            // "Reset everything" on the simulator puts the whole demo back to its start: the portal's flows,
            // limits and cooldowns too (when they are the demo's own, in memory), or a demo would hit yesterday's limits.
            var control = _sandbox.Control;
            control.WasReset += (_, reset) =>
            {
                if (holds.Clear())
                {
                    control.ReportPortalCleared(reset.Number);
                }
            };
        }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        // The portal listens now: the simulator's "Back to the portal" link can name its address.
        public Task StartedAsync(CancellationToken cancellationToken)
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            if (addresses.Select(a => Uri.TryCreate(a, UriKind.Absolute, out var url) ? url : null).OfType<Uri>().FirstOrDefault() is { } address)
            {
                // Kestrel reports wildcards ("[::]", "0.0.0.0") for "every address": this machine's own name reaches it.
                var host = address.Host is "[::]" or "0.0.0.0" or "::" ? "localhost" : address.Host;
                options.PortalUrl = new UriBuilder(address) { Host = host }.Uri.ToString();
            }

            return Task.CompletedTask;
        }

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task StoppedAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _sandbox, null) is { } sandbox)
            {
                await sandbox.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    // The sandbox is a second host in this process; its "Now listening" lines would read like the portal's own.
    private sealed class QuietHostingLogs(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) =>
            categoryName.StartsWith("Microsoft.Hosting", StringComparison.Ordinal) ? NullLogger.Instance : inner.CreateLogger(categoryName);

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose()
        {
            // The inner factory belongs to the host.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1300, LogLevel.Warning, "No Okta org configured (Okta:OrgUrl): using the embedded Okta sandbox at {OrgUrl}; phone simulator at {PhoneSimulatorUrl}")]
        public static partial void SandboxStarted(ILogger logger, Uri orgUrl, Uri phoneSimulatorUrl);

        [LoggerMessage(1301, LogLevel.Warning, "Sandbox:Port {WantedPort} is in use; the embedded Okta sandbox listens on {Port} instead (an open simulator tab on the usual port will not reach it)")]
        public static partial void SandboxPortTaken(ILogger logger, int wantedPort, int port);
    }
}
