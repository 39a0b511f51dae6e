using System.Net;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>Okta failing: friendly pages with fitting statuses, the flow kept when a retry makes sense.</summary>
public sealed class OktaOutageTests(PortalApp app) : PortalTests<PortalApp>(app)
{
    [Theory]
    [InlineData(ScriptedCallFault.ServerError, "/reset/problem/unavailable", "The service is temporarily unavailable", "60")]
    // The sandbox's 429 says its window resets in 60 s; the portal adds a second for the clocks' rounding.
    [InlineData(ScriptedCallFault.TooManyRequests, "/reset/problem/busy", "The service is busy", "61")]
    public async Task OktaFailingAtTheUsernameStepShowsAServiceUnavailablePage(ScriptedCallFault fault, string page, string heading, string retryAfter)
    {
        using var browser = App.NewBrowser();
        App.Okta.ScriptNextCall("sam.sms@example.com", fault);
        await browser.GetAsync("/");

        await browser.PostAsync("/", ("Input.Username", "sam.sms@example.com"));
        Assert.Equal(page, browser.Location);
        await browser.FollowAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, browser.Response.StatusCode);
        Assert.Equal(retryAfter, browser.Response.Headers.RetryAfter!.ToString());
        Assert.Equal(heading, browser.Heading);
        Assert.DoesNotContain("E0000", browser.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OktaFailingDuringVerifyKeepsTheFlowForATryAgain()
    {
        const string Login = "tom.totp@example.com";
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Login, "okta-code");
        App.Okta.ScriptNextCall(Login, ScriptedCallFault.ServerError);

        await browser.EnterCodeAsync(App.Okta.GetTotpCodes(Login).Single().Code);
        Assert.Equal("/reset/problem/unavailable?back=%2FReset%2FVerifyCode", browser.Location);
        await browser.FollowAsync();
        var tryAgain = browser.Page.QuerySelectorAll("a").Single(a => a.TextContent == "Try again").GetAttribute("href");
        Assert.Equal("/reset/code", tryAgain);
        await browser.GetAsync(tryAgain!);
        App.Clock.Advance(TimeSpan.FromSeconds(30)); // the next TOTP code
        await browser.EnterCodeAsync(App.Okta.GetTotpCodes(Login).Single().Code);

        Assert.Equal("/reset/password", browser.Location);
    }

    [Fact]
    public async Task OktaFailingAtThePasswordStepKeepsTheVerifiedFlow()
    {
        const string Login = "gail.google@example.com";
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Login, "google-code");
        await browser.EnterCodeAsync(App.Okta.GetTotpCodes(Login).Single().Code);
        await browser.FollowAsync();
        App.Okta.ScriptNextCall(Login, ScriptedCallFault.TooManyRequests);

        await browser.ChangePasswordAsync();
        Assert.Equal("/reset/problem/busy?back=%2FReset%2FChangePassword", browser.Location);
        await browser.GetAsync("/reset/password");
        await browser.ChangePasswordAsync();

        Assert.Equal("/reset/done", browser.Location);
        Assert.True(App.Okta.IsCurrentPassword(Login, PortalBrowser.Password));
    }
}
