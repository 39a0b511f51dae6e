using System.Globalization;
using System.Net;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>What the pages say is what happened: held-back sends, calls, wrong numbers, the done page, replaced tabs, time left.</summary>
public sealed class HonestPagesTests(PortalApp app) : PortalTests<PortalApp>(app)
{
    /// <summary>A whole reset with the Okta Verify code, ending on the page after the new password.</summary>
    private async Task<PortalBrowser> ResetWithAuthenticatorCodeAsync(string login)
    {
        var browser = App.NewBrowser();
        await browser.ChooseAsync(login, "okta-code");
        await browser.EnterCodeAsync(App.Okta.GetTotpCodes(login).Single().Code);
        await browser.FollowAsync();
        await browser.ChangePasswordAsync();
        await browser.FollowAsync();
        return browser;
    }

    [Fact]
    public async Task PressingSendPushDuringThePauseSpendsNothingAndSaysWhenItCanBeSent()
    {
        const string Login = "pat.push@example.com";
        using (var earlier = App.NewBrowser())
        {
            await earlier.ChooseAsync(Login, "push");
            await earlier.SendPushAsync();
            Assert.Equal("Check your phone", earlier.Heading);
        }

        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Login, "push");
        for (var press = 0; press < 4; press++)
        {
            await browser.PostAsync("/reset/push/send");
            Assert.Equal("/reset/push?notice=wait-open", browser.Location); // the earlier push is still open
            await browser.FollowAsync();
        }

        Assert.Equal(HttpStatusCode.OK, browser.Response.StatusCode);
        Assert.Equal("Get a push notification", browser.Heading);
        Assert.StartsWith("We didn't send a push", browser.Page.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        var button = browser.Page.QuerySelector("form button")!;
        Assert.Equal("Send push", button.TextContent.Trim());
        Assert.InRange(int.Parse(button.GetAttribute("data-enable-after")!, CultureInfo.InvariantCulture), 1, 300);
        Assert.Contains("You can send a push in", browser.Page.QuerySelector("#resend-countdown")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(1, App.CallsFor(Login, OktaOperations.VerifyFactor));
    }

    [Fact]
    public async Task VoiceCallPagesSpeakOfACallNotOfASentCode()
    {
        const string Login = "vera.voice@example.com";
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Login, "call");
        await browser.SendCodeAsync();

        Assert.Equal("Enter the code we told you", browser.Heading);
        Assert.Contains("calling", browser.Page.QuerySelector(".lead")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Call me again", browser.Page.QuerySelector("form.resend button")!.TextContent.Trim());
        Assert.DoesNotContain("code we sent", browser.Html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TappingTheWrongNumberIsNotReportedAsADenial()
    {
        const string Login = "pat.push@example.com";
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Login, "push");
        await browser.SendPushAsync();
        var push = Assert.Single(App.Okta.GetPendingPushes(Login));
        App.Okta.ApprovePush(push.TransactionId, push.Choices.First(n => n != push.CorrectAnswer));

        var (_, body) = await browser.PollAsync();
        await browser.GetAsync(body.GetProperty("redirect").GetString()!);

        Assert.Equal("The push wasn't approved", browser.Heading);
        Assert.Contains("the number tapped didn't match", browser.Page.QuerySelector(".lead")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("denied on your phone", browser.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DonePageInAFreshBrowserDoesNotClaimAChangedPassword()
    {
        using var browser = App.NewBrowser();

        await browser.GetAsync("/reset/done");
        Assert.Equal("/reset/problem/start-again", browser.Location);
        await browser.FollowAsync();

        Assert.Equal(HttpStatusCode.BadRequest, browser.Response.StatusCode);
        Assert.DoesNotContain("has been changed", browser.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterSuccessTheBackButtonLandsOnThePageThatSaysItWorkedAndTheUnlockIsTold()
    {
        const string Login = "lou.locked@example.com";
        using var browser = await ResetWithAuthenticatorCodeAsync(Login);
        Assert.Equal("Your password has been changed", browser.Heading);
        Assert.Contains("it's unlocked now", browser.Page.Body!.TextContent, StringComparison.Ordinal);

        foreach (var back in new[] { "/reset/password", "/reset/code", "/reset/method" })
        {
            await browser.GetAsync(back);
            Assert.Equal("/reset/done", browser.Location);
        }

        await browser.GetAsync("/reset/done");
        Assert.Equal("Your password has been changed", browser.Heading);
        Assert.Equal(1, App.CallsFor(Login, OktaOperations.UpdateUser));
    }

    [Fact]
    public async Task DonePageOfAnAccountThatWasNotLockedSaysNothingOfAnUnlock()
    {
        using var browser = await ResetWithAuthenticatorCodeAsync("tom.totp@example.com");

        Assert.Equal("Your password has been changed", browser.Heading);
        Assert.DoesNotContain("unlocked", browser.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenericMenuWordsThePushHonestlyAndOffersAWayOutWhenNothingArrives()
    {
        using var browser = App.NewBrowser();
        await browser.ChooseAsync("nora.nofactors@example.com", "push");
        await browser.SendPushAsync();

        Assert.StartsWith("If Okta Verify is set up for this account", browser.Page.QuerySelector(".push-status .lead")!.TextContent, StringComparison.Ordinal);
        var nothing = browser.Page.QuerySelector(".nothing-arrived")!;
        Assert.True(nothing.HasAttribute("hidden"));
        Assert.Equal("30", nothing.GetAttribute("data-reveal-after"));

        App.Clock.Advance(TimeSpan.FromSeconds(30));
        await browser.PostAndFollowAsync("/reset/push/check");
        nothing = browser.Page.QuerySelector(".nothing-arrived")!;
        Assert.False(nothing.HasAttribute("hidden"));
        Assert.Contains("Didn't get anything?", nothing.TextContent, StringComparison.Ordinal);
        Assert.Contains("use another method", nothing.TextContent, StringComparison.Ordinal);
        Assert.Null(nothing.QuerySelector("a")); // the page's one "Try another method" link follows right below
        Assert.Equal("/reset/method", browser.Page.QuerySelectorAll("a").Single(a => a.TextContent == "Try another method").GetAttribute("href"));
    }

    [Fact]
    public async Task GenericMenuWordsTheTextMessageHonestly()
    {
        using var browser = App.NewBrowser();
        await browser.ChooseAsync("nobody.at.all@example.com", "sms");
        await browser.SendCodeAsync();

        Assert.StartsWith("If text messages are set up for this account", browser.Page.QuerySelector(".lead")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFormFromATabWhoseResetWasReplacedSaysSoAndLeavesTheNewResetAlone()
    {
        const string Login = "tom.totp@example.com";
        using var first = App.NewBrowser();
        await first.ChooseAsync(Login, "okta-code");
        using var second = App.NewBrowser();
        first.CopyCookiesTo(second); // the same browser: one cookie jar, two tabs
        await second.ChooseAsync(Login, "okta-code");
        second.CopyCookiesTo(first);

        await first.EnterCodeAsync(App.Okta.GetTotpCodes(Login).Single().Code);

        Assert.Equal("/reset/problem/superseded", first.Location);
        await first.FollowAsync();
        Assert.Equal(HttpStatusCode.Conflict, first.Response.StatusCode);
        Assert.Equal("This reset continues in another tab", first.Heading);
        Assert.Equal(0, App.CallsFor(Login, OktaOperations.VerifyFactor));
        await second.EnterCodeAsync(App.Okta.GetTotpCodes(Login).Single().Code);
        Assert.Equal("/reset/password", second.Location);
    }

    [Fact]
    public async Task CodeAndPushPagesSayHowLongIsLeft()
    {
        using var code = App.NewBrowser();
        await code.ChooseAsync("tom.totp@example.com", "okta-code");
        Assert.Equal("300", code.Page.QuerySelector("[data-time-left]")!.GetAttribute("data-time-left"));
        Assert.Equal("Enter the code within 5 minutes, or you'll need to start again.", code.Page.QuerySelector(".time-left .hint")!.TextContent.Trim());

        using var push = App.NewBrowser();
        await push.ChooseAsync("pat.push@example.com", "push");
        await push.SendPushAsync();
        App.Clock.Advance(TimeSpan.FromSeconds(100));
        await push.GetAsync("/reset/push");
        Assert.Equal("The push can be answered for 3 minutes.", push.Page.QuerySelector(".time-left .hint")!.TextContent.Trim());
    }
}
