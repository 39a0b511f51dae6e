using System.Net;
using MfaReset.Okta.Sandbox;
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
