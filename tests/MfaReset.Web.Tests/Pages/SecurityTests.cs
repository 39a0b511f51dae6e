using System.Net;
using MfaReset.Testing;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>Antiforgery, cookies, headers and the cross-site guard.</summary>
public sealed class SecurityTests(PortalApp app) : PortalTests<PortalApp>(app)
{
    [Fact]
    public async Task MissingAntiforgeryTokenIsRejectedWithoutOktaCalls()
    {
        using var browser = App.NewBrowser();
        await browser.GetAsync("/");
        using var form = new FormUrlEncodedContent([new("Input.Username", "sam.sms@example.com")]);

        using var response = await browser.Client.PostAsync(new Uri("/", UriKind.Relative), form, TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("This request couldn", html, StringComparison.Ordinal);
        Assert.Equal(0, App.RequestOktaCalls);
        Assert.NotEmpty(App.Logs.OfEvent(1200));
    }

    [Fact]
    public async Task EveryKindOfResponseCarriesTheSecurityHeaders()
    {
        using var browser = App.NewBrowser();
        foreach (var path in new[] { "/", "/reset/method", "/reset/problem/expired", "/no-such-page", "/healthz" })
        {
            await browser.GetAsync(path);
            var headers = browser.Response.Headers;
            var csp = string.Join(';', headers.GetValues("Content-Security-Policy"));

            Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("script-src 'nonce-", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Contains("form-action 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Equal("no-referrer", headers.GetValues("Referrer-Policy").Single());
            Assert.Equal("nosniff", headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-store", headers.CacheControl!.ToString());
            Assert.Equal("max-age=31536000; includeSubDomains", headers.GetValues("Strict-Transport-Security").Single());
            Assert.False(headers.Contains("Server"));
        }
    }

    [Fact]
    public async Task ScriptsLoadOnlyFromFilesWithTheRequestsNonce()
    {
        using var browser = App.NewBrowser();

        await browser.GetAsync("/");
        var csp = browser.Response.Headers.GetValues("Content-Security-Policy").Single();
        var scripts = browser.Page.QuerySelectorAll("script");

        Assert.NotEmpty(scripts);
        Assert.All(scripts, s =>
        {
            Assert.False(string.IsNullOrEmpty(s.GetAttribute("src")));
            Assert.Empty(s.TextContent);
            Assert.Contains($"'nonce-{s.GetAttribute("nonce")}'", csp, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task CookiesAreHostPrefixedSecureHttpOnlyStrictSessionCookies()
    {
        using var browser = App.NewBrowser();
        await browser.GetAsync("/");
        var setCookies = browser.Response.Headers.GetValues("Set-Cookie").ToList();
        await browser.PostAsync("/", ("Input.Username", "sam.sms@example.com"));
        setCookies.AddRange(browser.Response.Headers.GetValues("Set-Cookie").Where(c => !c.Contains("=;", StringComparison.Ordinal)));

        Assert.Equal(2, setCookies.Count);
        Assert.All(setCookies, cookie =>
        {
            var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
            Assert.StartsWith("__Host-MfaReset-", cookie, StringComparison.Ordinal);
            Assert.Equal(["path=/", "secure", "samesite=strict", "httponly"], attributes);
        });
    }

    [Fact]
    public async Task CrossSitePostIsRefused()
    {
        using var browser = App.NewBrowser();
        await browser.GetAsync("/");
        browser.Client.DefaultRequestHeaders.Add("Origin", "https://attacker.example");

        await browser.PostAsync("/", ("Input.Username", "sam.sms@example.com"));

        Assert.Equal(HttpStatusCode.Forbidden, browser.Response.StatusCode);
        Assert.Equal(0, App.RequestOktaCalls);
    }

    [Fact]
    public async Task SameOriginPostIsAccepted()
    {
        using var browser = App.NewBrowser();
        await browser.GetAsync("/");
        browser.Client.DefaultRequestHeaders.Add("Origin", "https://localhost");
        browser.Client.DefaultRequestHeaders.Add("Sec-Fetch-Site", "same-origin");

        await browser.PostAsync("/", ("Input.Username", "sam.sms@example.com"));

        Assert.Equal("/reset/method", browser.Location);
    }

    [Fact]
    public async Task SameOriginPostWithTheNullOriginOfNoReferrerIsAccepted()
    {
        // What Chromium sends for a same-origin form post under Referrer-Policy: no-referrer.
        using var browser = App.NewBrowser();
        await browser.GetAsync("/");
        browser.Client.DefaultRequestHeaders.Add("Origin", "null");
        browser.Client.DefaultRequestHeaders.Add("Sec-Fetch-Site", "same-origin");

        await browser.PostAsync("/", ("Input.Username", "sam.sms@example.com"));

        Assert.Equal("/reset/method", browser.Location);
    }

    [Theory]
    [InlineData("cross-site", "null")]
    [InlineData("same-site", "https://other.localhost")]
    [InlineData(null, "null")]
    public async Task PostsFromAnotherSiteOrAnOpaqueOriginAreRefused(string? fetchSite, string origin)
    {
        using var browser = App.NewBrowser();
        await browser.GetAsync("/");
        browser.Client.DefaultRequestHeaders.Add("Origin", origin);
        if (fetchSite is not null)
        {
            browser.Client.DefaultRequestHeaders.Add("Sec-Fetch-Site", fetchSite);
        }

        await browser.PostAsync("/", ("Input.Username", "sam.sms@example.com"));

        Assert.Equal(HttpStatusCode.Forbidden, browser.Response.StatusCode);
        Assert.Equal(0, App.RequestOktaCalls);
    }

    [Fact]
    public async Task OverlongOrControlCharacterUsernamesNeverReachOkta()
    {
        using var browser = App.NewBrowser();
        await browser.GetAsync("/");

        await browser.PostAsync("/", ("Input.Username", new string('a', 257)));
        Assert.Equal(["Enter at most 256 characters."], browser.Errors);
        await browser.PostAsync("/", ("Input.Username", "sam\r\n@example.com"));
        Assert.Equal(["Enter your username or email without special characters."], browser.Errors);

        Assert.Equal(0, App.RequestOktaCalls);
    }

    [Fact]
    public async Task PagesHaveOneHeadingAndLabelledFields()
    {
        using var browser = App.NewBrowser();
        await browser.ChooseAsync("sam.sms@example.com", "sms");
        await browser.SendCodeAsync();

        Assert.Single(browser.Page.QuerySelectorAll("h1"));
        Assert.All(browser.Page.QuerySelectorAll("input:not([type=hidden])"), input =>
            Assert.NotNull(browser.Page.QuerySelector($"label[for='{input.Id}']")));
        Assert.Equal("en", browser.Page.DocumentElement.GetAttribute("lang"));
    }
}
