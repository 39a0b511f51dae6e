using System.Net;
using MfaReset.Testing.Hosting;
using MfaReset.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using WireMock.Server;

namespace MfaReset.Web.Tests.OutOfProcessOkta;

/// <summary>
/// The real portal host, on the real clock, whose Okta client talks over a loopback socket to a WireMock
/// server loaded with <see cref="OktaContractMappings"/>. One per test: an outage hold or a scenario state
/// must not reach the next test.
/// </summary>
public sealed class WireMockOkta : PortalFactory<Program>
{
    /// <summary>Short, so a hang past it ends a test in two seconds rather than Okta's default 10 s.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);

    public const string ApiToken = "00wiremock-test-token";

    private readonly Dictionary<string, string?> _settings;

    /// <param name="pushOutcome">How the push ends after its first WAITING poll.</param>
    /// <param name="settings">Portal settings a test wants on top of the defaults.</param>
    /// <param name="loginReadCarriesETag">Whether the read by login answers with getUser's documented <c>ETag</c> (see <see cref="OktaContractMappings.Generate"/>).</param>
    public WireMockOkta(PushOutcome pushOutcome = PushOutcome.Success, IReadOnlyDictionary<string, string>? settings = null, bool loginReadCarriesETag = false)
    {
        _settings = (settings ?? new Dictionary<string, string>()).ToDictionary(s => s.Key, s => (string?)s.Value);
        WireMock = WireMockServer.Start();
        foreach (var mapping in OktaContractMappings.Generate(pushOutcome, loginReadCarriesETag))
        {
            WireMock.WithMapping(mapping.ToJsonFor(WireMock.Url!));
        }

        // WireMock's first answer takes seconds (its request pipeline warms up): longer than the short
        // attempt timeout below. One request now, left out of the log the tests read.
        using (var warmUp = new HttpClient())
        {
            warmUp.GetAsync(new Uri(WireMock.Url + "/warm-up")).GetAwaiter().GetResult().Dispose();
        }

        WireMock.ResetLogEntries();
    }

    public WireMockServer WireMock { get; }

    /// <summary>Method and path (with query) of every request WireMock received, in order.</summary>
    public IReadOnlyList<string> Calls => [.. WireMock.LogEntries
        .OrderBy(e => e.RequestMessage.DateTime)
        .Select(e => $"{e.RequestMessage.Method} {e.RequestMessage.Path}{QueryOf(e.RequestMessage.RawQuery)}")];

    /// <summary>A new browser: its own cookie jar, https so Secure cookies are kept, redirects not followed.</summary>
    public PortalBrowser NewBrowser() => PortalBrowser.Open(this);

    protected override string? EnvironmentName => "Production";

    protected override IReadOnlyDictionary<string, string?> Settings => _settings;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Okta:OrgUrl", WireMock.Url);
        builder.UseSetting("Okta:ApiToken", ApiToken);
        builder.UseSetting("Okta:AttemptTimeout", AttemptTimeout.ToString());
        builder.UseSetting("Okta:TotalBudget", "00:00:04");
        builder.UseSetting("Okta:ConnectTimeout", "00:00:01");
        builder.UseSetting("Okta:InFlightQueueTimeout", "00:00:00.500");
        // The preflight's reads at start are not the contract's call sequences (its own tests run it).
        builder.UseSetting("Preflight:AtStart", "false");
        // One attempt per call, so the request log shows each of the portal's calls once.
        builder.UseSetting("Okta:MaxRetries", "0");
        builder.UseSetting("Reset:DefaultOktaLatency", "00:00:00");
        builder.UseSetting("Reset:PushPollInterval", "00:00:01");
        // The per-reset roles call, whose answers the contract pack documents (listAssignedRolesForUser/*); the org-wide
        // list of administrators has no fixture in the pack, and its background reads would interleave with the replayed sequence.
        builder.UseSetting("Reset:AdminCheck", "PerReset");
        // Email among the methods: the fixtures' recovery rule lets only email start a reset.
        builder.UseSetting("Reset:EnabledFactorKinds:0", "OktaVerifyPush");
        builder.UseSetting("Reset:EnabledFactorKinds:1", "Sms");
        builder.UseSetting("Reset:EnabledFactorKinds:2", "Email");
        // The environment, and a test's settings on top of the defaults above.
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, PeerAddressFilter>());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            WireMock.Stop();
            WireMock.Dispose();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        WireMock.Stop();
        WireMock.Dispose();
    }

    private static string QueryOf(string? rawQuery) => string.IsNullOrEmpty(rawQuery) ? string.Empty : "?" + rawQuery.TrimStart('?');
}
