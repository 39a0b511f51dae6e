using System.Net;
using MfaReset.Testing;
using MfaReset.Web.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;

namespace MfaReset.Web.Tests.Pages;

/// <summary>
/// Security events name the client as forwarded-headers processing resolved it (only the configured
/// proxy is believed) and its User-Agent, which can never start a log line of its own.
/// </summary>
public sealed class AuditClientTests(AuditClientTests.BehindAProxyPortal app) : PortalTests<AuditClientTests.BehindAProxyPortal>(app)
{
    private const string Proxy = "10.0.0.10";
    private const string Client = "203.0.113.50";

    private int _seen;

    /// <summary>
    /// A browser whose requests arrive from <paramref name="peer"/> claiming to be forwarded for
    /// <see cref="Client"/>; the logs are read from here on.
    /// </summary>
    private PortalBrowser BrowserVia(string peer)
    {
        _seen = App.Logs.Count;
        var browser = App.NewBrowser();
        browser.Client.DefaultRequestHeaders.Add(PeerAddressFilter.Header, peer);
        browser.Client.DefaultRequestHeaders.Add("X-Forwarded-For", Client);
        return browser;
    }

    private IReadOnlyList<FakeLogRecord> NewRecords() => App.Logs.Since(_seen);

    private List<FakeLogRecord> UsernameEvents() => [.. NewRecords().Where(r => r.Id.Id == 1000)];

    [Fact]
    public async Task ClientForwardedByTheConfiguredProxyIsTheOneLogged()
    {
        using var browser = BrowserVia(Proxy);

        await browser.StartAsync("nobody.at.all@example.com");

        Assert.Contains(UsernameEvents(), r => r.Value("ClientIp") == Client && r.Value("UserAgent") == "Mozilla/5.0 (X11; Linux x86_64) MfaResetTests/1.0");
    }

    [Fact]
    public async Task ForwardedForFromAnyOtherPeerIsIgnored()
    {
        using var browser = BrowserVia("198.51.100.7");

        await browser.StartAsync("nobody.at.all@example.com");

        Assert.Contains(UsernameEvents(), r => r.Value("ClientIp") == "198.51.100.7");
        Assert.DoesNotContain(NewRecords().SelectMany(r => r.Texts()), text => text.Contains(Client, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UserAgentWithALineBreakForgesNoLogLine()
    {
        using var browser = BrowserVia(Proxy);
        browser.Client.DefaultRequestHeaders.UserAgent.Clear();
        Assert.True(browser.Client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "Mozilla/5.0\r\nFAKE Warning MfaReset [1009] Password change: outcome changed"));

        await browser.ChooseAsync("tom.totp@example.com", "okta-code");
        await browser.EnterCodeAsync("000000");

        Assert.Contains(UsernameEvents(), r => r.Value("UserAgent")!.StartsWith("Mozilla/5.0??FAKE Warning MfaReset [1009]", StringComparison.Ordinal));
        // No value, and so no line a sink writes, holds a line break a forged line could start after.
        Assert.All(NewRecords().SelectMany(r => r.Texts()), text => Assert.False(text.Contains('\n', StringComparison.Ordinal) || text.Contains('\r', StringComparison.Ordinal), text));
    }

    [Fact]
    public async Task TheStartWarnsThatTheInMemoryStoreBehindAProxyCountsEveryLimitPerInstance()
    {
        using var browser = App.NewBrowser();
        await browser.GetAsync("/"); // the host has started

        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, Assert.Single(App.Logs.OfEvent(1405)).Level);
    }

    public sealed class BehindAProxyPortal : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["ReverseProxy:KnownProxies:0"] = Proxy,
        };
    }
}
