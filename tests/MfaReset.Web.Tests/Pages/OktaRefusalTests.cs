using System.Net;
using MfaReset.Okta.Sandbox;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>
/// Okta refusals that are not outages (issue 22 item 8): each ends on a page that says what to do next (another
/// method, the help desk, a try later) with a fitting status, never the outage page; a 429 is told apart by its
/// headers, so Okta being busy is never "too many attempts" and spends nothing of the person's.
/// </summary>
public sealed class OktaRefusalTests(PortalApp app) : PortalTests<PortalApp>(app)
{
    private const string Max = "max.multi@example.com";
    private const string Tom = "tom.totp@example.com";
    private const string Pat = "pat.push@example.com";
    private const string Gail = "gail.google@example.com";

    /// <summary>Gail verified with her authenticator app, on the password page.</summary>
    private async Task<PortalBrowser> OnThePasswordStepAsync()
    {
        var browser = App.NewBrowser();
        await browser.ChooseAsync(Gail, "google-code");
        await browser.EnterCodeAsync(App.Okta.GetTotpCodes(Gail).Single().Code);
        await browser.FollowAsync();
        return browser;
    }

    [Theory]
    [InlineData(ScriptedCallFault.InternationalPhoneNotAllowed, "phone-not-allowed", HttpStatusCode.Forbidden, "Okta can't send to this phone number")]
    [InlineData(ScriptedCallFault.TelephonyOptOut, "phone-opted-out", HttpStatusCode.Forbidden, "This phone number has opted out of Okta's messages")]
    [InlineData(ScriptedCallFault.AdditionalChallenge, "method-needs-more", HttpStatusCode.Conflict, "Use another method")]
    public async Task AMethodOktaRefusesLeadsToTheMethodMenuWithNothingSentOrSpent(ScriptedCallFault refusal, string slug, HttpStatusCode status, string heading)
    {
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Max, "sms");
        App.Okta.ScriptNextCall(Max, refusal, OktaOperations.VerifyFactor);

        await browser.PostAsync("/reset/code/send");
        Assert.StartsWith($"/reset/problem/{slug}", browser.Location, StringComparison.Ordinal);
        await browser.FollowAsync();

        Assert.Equal(status, browser.Response.StatusCode);
        Assert.Equal(heading, browser.Heading);
        Assert.DoesNotContain("E0000", browser.Html, StringComparison.Ordinal);
        Assert.Empty(App.Okta.GetMessages(Max));
        var choose = browser.Page.QuerySelectorAll("a.button").Single();
        Assert.Equal("Choose another method", choose.TextContent.Trim());
        Assert.Equal("/reset/method", choose.GetAttribute("href"));

        // The flow is kept, and the refused send held nothing back: the same method right away sends a code.
        await browser.GetAsync("/reset/method");
        Assert.Equal(HttpStatusCode.OK, browser.Response.StatusCode);
        await browser.PostAndFollowAsync("/reset/method", ("Input.Choice", "sms"));
        await browser.SendCodeAsync();
        Assert.Single(App.Okta.GetMessages(Max));
        await App.EnterTextedCodeAsync(browser, Max);
        Assert.Equal("/reset/password", browser.Location);
    }

    [Fact]
    public async Task OktasVoiceCallLimitIsAWaitOnTheCodePageLikeTheSmsLimit()
    {
        const string Vera = "vera.voice@example.com";
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Vera, "call");
        App.Okta.ScriptNextCall(Vera, ScriptedCallFault.CallRateLimit, OktaOperations.VerifyFactor);

        await browser.PostAsync("/reset/code/send");

        Assert.Equal("/reset/code?notice=phone-busy", browser.Location);
        Assert.Empty(App.Okta.GetMessages(Vera));
    }

    [Theory]
    [InlineData(ScriptedCallFault.TooManyRequests)]
    [InlineData(ScriptedCallFault.ConcurrencyLimit)]
    public async Task OktaBusyOnACodeCheckIsTheBusyPageAndTheCheckIsGivenBack(ScriptedCallFault busy)
    {
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Tom, "okta-code");
        App.Okta.ScriptNextCall(Tom, busy, OktaOperations.VerifyFactor);

        await browser.EnterCodeAsync(App.Okta.GetTotpCodes(Tom).Single().Code);
        Assert.Equal("/reset/problem/busy?back=%2FReset%2FVerifyCode", browser.Location);
        await browser.FollowAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, browser.Response.StatusCode);
        Assert.NotNull(browser.Response.Headers.RetryAfter);
        Assert.Equal("The service is busy", browser.Heading);
        // Of the flow's three checks, none went to the refused one: two wrong codes, then the right one, still verify.
        await browser.GetAsync("/reset/code");
        await browser.EnterCodeAsync("000000");
        await browser.EnterCodeAsync("000001");
        App.Clock.Advance(TimeSpan.FromSeconds(30)); // the next TOTP code
        await browser.EnterCodeAsync(App.Okta.GetTotpCodes(Tom).Single().Code);
        Assert.Equal("/reset/password", browser.Location);
    }

    [Fact]
    public async Task OktasOwnLimitOfThePersonIsTheirOwnPageNotTheBusyPage()
    {
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Tom, "okta-code");
        App.Okta.ScriptNextCall(Tom, ScriptedCallFault.UserRateLimit, OktaOperations.VerifyFactor);

        await browser.EnterCodeAsync(App.Okta.GetTotpCodes(Tom).Single().Code);
        Assert.Equal("/reset/problem/account-throttled", browser.Location);
        await browser.FollowAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, browser.Response.StatusCode);
        Assert.Equal("300", browser.Response.Headers.RetryAfter!.ToString());
        Assert.Equal("Okta has paused checks for your account", browser.Heading);
        Assert.Contains("Wait 5 minutes", browser.Page.QuerySelector(".lead")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OktaBusyOnAPushSendIsTheBusyPageAndTheNextPressSendsAtOnce()
    {
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Pat, "push");
        App.Okta.ScriptNextCall(Pat, ScriptedCallFault.ConcurrencyLimit, OktaOperations.VerifyFactor);

        await browser.PostAsync("/reset/push/send");
        Assert.Equal("/reset/problem/busy?back=%2FReset%2FWaitForPush", browser.Location);
        Assert.Empty(App.Okta.GetPendingPushes(Pat));

        // Neither the flow's push nor the gap between pushes was spent on it.
        await browser.GetAsync("/reset/push");
        await browser.SendPushAsync();
        Assert.Single(App.Okta.GetPendingPushes(Pat));
    }

    [Fact]
    public async Task AStatusOktaRefusesAtThePasswordStepIsTheHelpDeskPage()
    {
        using var browser = await OnThePasswordStepAsync();
        App.Okta.ScriptNextCall(Gail, ScriptedCallFault.NotAllowedInStatus, OktaOperations.UpdateUser);

        await browser.ChangePasswordAsync();
        Assert.Equal("/reset/problem/account-status", browser.Location);
        await browser.FollowAsync();

        Assert.Equal(HttpStatusCode.Forbidden, browser.Response.StatusCode);
        Assert.Equal("Contact your help desk", browser.Heading);
        Assert.False(App.Okta.IsCurrentPassword(Gail, PortalBrowser.Password));
        Assert.DoesNotContain(browser.Page.QuerySelectorAll("a"), a => a.TextContent.Trim() == "Start again");
    }

    [Fact]
    public async Task AnAccountStillBeingActivatedIsATryLaterThatKeepsTheVerifiedFlow()
    {
        using var browser = await OnThePasswordStepAsync();
        App.Okta.ScriptNextCall(Gail, ScriptedCallFault.UserBeingActivated, OktaOperations.UpdateUser);

        await browser.ChangePasswordAsync();
        Assert.Equal("/reset/problem/account-being-activated?back=%2FReset%2FChangePassword", browser.Location);
        await browser.FollowAsync();
        Assert.Equal(HttpStatusCode.Conflict, browser.Response.StatusCode);
        Assert.Equal("180", browser.Response.Headers.RetryAfter!.ToString());
        Assert.Contains("try again in 3 minutes", browser.Page.QuerySelector(".lead")!.TextContent, StringComparison.Ordinal);

        await browser.GetAsync("/reset/password");
        await browser.ChangePasswordAsync();
        Assert.Equal("/reset/done", browser.Location);
        Assert.True(App.Okta.IsCurrentPassword(Gail, PortalBrowser.Password));
    }

    [Fact]
    public async Task AnUnlockOktaRefusesIsTheUnlockHelpDeskPageNotTheOutagePage()
    {
        const string Liam = "liam.locked@example.com";
        using var browser = App.NewBrowser();
        await browser.StartUnlockAsync(Liam);
        await browser.PostAndFollowAsync("/reset/method", ("Input.Choice", "sms"));
        await browser.SendCodeAsync();
        App.Okta.ScriptNextCall(Liam, ScriptedCallFault.UnlockNotAllowed, OktaOperations.UnlockUser);

        await App.EnterTextedCodeAsync(browser, Liam);
        Assert.StartsWith("/reset/problem/unlock-not-allowed", browser.Location, StringComparison.Ordinal);
        await browser.FollowAsync();

        Assert.Equal(HttpStatusCode.Forbidden, browser.Response.StatusCode);
        Assert.Equal("LOCKED_OUT", App.Okta.GetUser(Liam).Status);
    }
}
