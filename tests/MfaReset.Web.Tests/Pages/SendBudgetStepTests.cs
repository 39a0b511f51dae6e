using System.Net;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>The portal-wide daily SMS and voice budget on the send step: another method, the same for every username.</summary>
public sealed class SendBudgetStepTests(SendBudgetStepTests.OneSendPerDayPortal app) : PortalTests<SendBudgetStepTests.OneSendPerDayPortal>(app)
{
    [Fact]
    public async Task SpentBudgetSendsRealAndUnknownUsersToTheSameMethodPageWithoutCallingOkta()
    {
        using (var first = App.NewBrowser())
        {
            await first.ChooseAsync("sam.sms@example.com", "sms");
            await first.SendCodeAsync();
            Assert.Equal("Enter the code we sent", first.Heading);
        }

        List<string> pages = [];
        foreach (var username in new[] { "vera.voice@example.com", "nobody.at.all@example.com" })
        {
            using var browser = App.NewBrowser();
            await browser.ChooseAsync(username, "call");

            await browser.PostAsync("/reset/code/send");
            Assert.Equal("/reset/method?notice=phone-unavailable", browser.Location);
            await browser.FollowAsync();

            Assert.Equal(HttpStatusCode.OK, browser.Response.StatusCode);
            Assert.Equal("We can't send codes by text message or voice call right now. Choose another method.", browser.Page.QuerySelector(".notice")!.TextContent);
            pages.Add(browser.HtmlWithoutRequestTokens);
        }

        Assert.Equal(pages[0], pages[1]);
        Assert.Equal(0, App.CallsFor("vera.voice@example.com", OktaOperations.VerifyFactor));
        Assert.Empty(App.Okta.GetMessages("vera.voice@example.com"));
    }

    [Fact]
    public async Task AfterASpentBudgetAnotherMethodStillVerifies()
    {
        using (var first = App.NewBrowser())
        {
            await first.ChooseAsync("nobody.at.all@example.com", "sms");
            await first.SendCodeAsync(); // a decoy send uses the budget too
        }

        using var browser = App.NewBrowser();
        await browser.ChooseAsync("max.multi@example.com", "sms");
        await browser.PostAndFollowAsync("/reset/code/send");
        await browser.PostAndFollowAsync("/reset/method", ("Input.Choice", "okta-code"));
        await browser.EnterCodeAsync(App.Okta.GetTotpCodes("max.multi@example.com").First(c => c.Kind == SandboxFactorKind.OktaVerifyTotp).Code);

        Assert.Equal("/reset/password", browser.Location);
        Assert.Empty(App.Okta.GetMessages("max.multi@example.com"));
    }

    public sealed class OneSendPerDayPortal : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Reset:Limits:SendsPerDayGlobal"] = "1",
        };
    }
}

/// <summary>The per-person code and push limits: the page names the limit, its numbers and the other ways, the same for an unknown username.</summary>
public sealed class SendLimitStepTests(SendLimitStepTests.OneCodePerQuarterHourPortal app) : PortalTests<SendLimitStepTests.OneCodePerQuarterHourPortal>(app)
{
    [Theory]
    [InlineData("sam.sms@example.com")]
    [InlineData("nobody.at.all@example.com")]
    public async Task ASendOverThePersonsLimitNamesTheLimitAndWhatElseToDo(string username)
    {
        using (var first = App.NewBrowser())
        {
            await first.ChooseAsync(username, "sms");
            await first.SendCodeAsync();
            Assert.Equal("Enter the code we sent", first.Heading);
        }

        App.Clock.Advance(TimeSpan.FromSeconds(31)); // past the pause between codes: only the limit stands
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(username, "sms");
        await browser.PostAsync("/reset/code/send");
        Assert.Equal("/reset/problem/code-limit-reached", browser.Location);
        await browser.FollowAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, browser.Response.StatusCode);
        Assert.Equal("Too many codes sent to this account", browser.Heading);
        Assert.Equal(
            "Nothing was sent this time: this account has been sent as many codes as allowed, 1 every 15 minutes and 10 a day, across all resets. "
            + "New codes can be sent again within 15 minutes, or within a day once 10 were sent today. "
            + "Until then, start again and choose another method, such as a code from an authenticator app, or contact your help desk.",
            browser.Page.QuerySelector(".panel .lead")!.TextContent);
        Assert.Equal(username == "sam.sms@example.com" ? 1 : 0, App.CallsFor(username, OktaOperations.VerifyFactor)); // the first send only
    }

    [Theory]
    [InlineData("pat.push@example.com")]
    [InlineData("nobody.at.all@example.com")]
    public async Task APushOverThePersonsLimitNamesTheLimitAndWhatElseToDo(string username)
    {
        using (var first = App.NewBrowser())
        {
            await first.ChooseAsync(username, "push");
            await first.SendPushAsync();
            Assert.Equal("Check your phone", first.Heading);
        }

        App.Clock.Advance(TimeSpan.FromMinutes(6)); // the push has expired and the pause between pushes passed: only the limit stands
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(username, "push");
        await browser.PostAsync("/reset/push/send");
        Assert.Equal("/reset/problem/push-limit-reached", browser.Location);
        await browser.FollowAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, browser.Response.StatusCode);
        Assert.Equal("Too many push notifications sent to this account", browser.Heading);
        Assert.StartsWith(
            "Nothing was sent this time: this account has been sent as many push notifications as allowed, 1 every 15 minutes and 5 a day, across all resets.",
            browser.Page.QuerySelector(".panel .lead")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(username == "pat.push@example.com" ? 1 : 0, App.CallsFor(username, OktaOperations.VerifyFactor)); // the first push only
    }

    public sealed class OneCodePerQuarterHourPortal : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Reset:Limits:SendsPerUser"] = "1",
            ["Reset:Limits:PushesPerUser"] = "1",
        };
    }
}
