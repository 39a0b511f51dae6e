using System.Net;
using MfaReset.Web.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

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
        _seen = App.Logs.Lines.Count;
        var browser = App.NewBrowser();
        browser.Client.DefaultRequestHeaders.Add(PeerAddressFilter.Header, peer);
        browser.Client.DefaultRequestHeaders.Add("X-Forwarded-For", Client);
        return browser;
    }

    private List<string> NewLines() => [.. App.Logs.Lines.Skip(_seen)];

    private List<string> UsernameEvents() => [.. NewLines().Where(l => l.Contains("[1000] Username submitted:", StringComparison.Ordinal))];

    [Fact]
    public async Task ClientForwardedByTheConfiguredProxyIsTheOneLogged()
    {
        using var browser = BrowserVia(Proxy);

        await browser.StartAsync("nobody.at.all@example.com");

        Assert.Contains(UsernameEvents(), l => l.Contains($"client {Client}, agent Mozilla/5.0 (X11; Linux x86_64) MfaResetTests/1.0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ForwardedForFromAnyOtherPeerIsIgnored()
    {
        using var browser = BrowserVia("198.51.100.7");

        await browser.StartAsync("nobody.at.all@example.com");

        Assert.Contains(UsernameEvents(), l => l.Contains("client 198.51.100.7,", StringComparison.Ordinal));
        Assert.DoesNotContain(NewLines(), l => l.Contains(Client, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UserAgentWithALineBreakForgesNoLogLine()
    {
        using var browser = BrowserVia(Proxy);
        browser.Client.DefaultRequestHeaders.UserAgent.Clear();
        Assert.True(browser.Client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "Mozilla/5.0\r\nFAKE Warning MfaReset [1009] Password change: outcome changed"));

        await browser.ChooseAsync("tom.totp@example.com", "okta-code");
        await browser.EnterCodeAsync("000000");

        var lines = NewLines().SelectMany(l => l.Split('\n', '\r'));
        Assert.Contains(UsernameEvents(), l => l.Contains("agent Mozilla/5.0??FAKE Warning MfaReset [1009]", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("FAKE", StringComparison.Ordinal));
        Assert.All(NewLines(), l => Assert.DoesNotContain('\r', l));
    }

    public sealed class BehindAProxyPortal : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["ReverseProxy:KnownProxies:0"] = Proxy,
        };
    }
}
