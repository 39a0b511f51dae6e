using System.Net;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>The per-client limit on posts: 429 with Retry-After and a friendly page, no Okta call.</summary>
public sealed class ClientRateLimitTests(ClientRateLimitTests.LowLimitPortal app) : PortalTests<ClientRateLimitTests.LowLimitPortal>(app)
{
    [Fact]
    public async Task PostsBeyondTheLimitGetTooManyRequests()
    {
        using var browser = App.NewBrowser();
        await browser.GetAsync("/");
        for (var i = 0; i < 10; i++)
        {
            await browser.PostAsync("/", ("Input.Username", $"nobody{i}@example.com"));
            Assert.Equal(HttpStatusCode.Redirect, browser.Response.StatusCode);
            await browser.GetAsync("/");
        }

        var callsBefore = App.Okta.GetCallCounts().Total;
        await browser.PostAsync("/", ("Input.Username", "sam.sms@example.com"));

        Assert.Equal(HttpStatusCode.TooManyRequests, browser.Response.StatusCode);
        Assert.Equal("60", browser.Response.Headers.RetryAfter!.ToString());
        Assert.Equal("Too many requests", browser.Heading);
        Assert.Equal(callsBefore, App.Okta.GetCallCounts().Total);

        App.Clock.Advance(TimeSpan.FromMinutes(1));
        await browser.GetAsync("/");
        await browser.PostAsync("/", ("Input.Username", "sam.sms@example.com"));
        Assert.Equal("/reset/method", browser.Location);
    }

    [Fact]
    public async Task AnIpv4ClientOnADualStackSocketIsCountedAsOneClient()
    {
        using var browser = App.NewBrowser();
        await browser.GetAsync("/");
        for (var i = 0; i < 10; i++)
        {
            // The same client, written as IPv4 by one listener and IPv4-mapped IPv6 by another.
            browser.Client.DefaultRequestHeaders.Remove(PeerAddressFilter.Header);
            browser.Client.DefaultRequestHeaders.Add(PeerAddressFilter.Header, i % 2 == 0 ? "198.51.100.7" : "::ffff:198.51.100.7");
            await browser.PostAsync("/", ("Input.Username", $"nobody{i}@example.com"));
            Assert.Equal(HttpStatusCode.Redirect, browser.Response.StatusCode);
            await browser.GetAsync("/");
        }

        browser.Client.DefaultRequestHeaders.Remove(PeerAddressFilter.Header);
        browser.Client.DefaultRequestHeaders.Add(PeerAddressFilter.Header, "::ffff:198.51.100.7");
        await browser.PostAsync("/", ("Input.Username", "sam.sms@example.com"));

        Assert.Equal(HttpStatusCode.TooManyRequests, browser.Response.StatusCode);
    }

    public sealed class LowLimitPortal : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Reset:Limits:PostsPerMinutePerClient"] = "10",
        };
    }
}
