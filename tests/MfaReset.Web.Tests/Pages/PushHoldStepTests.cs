using MfaReset.Okta.Sandbox.Control;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>The push page across a person's resets: what the hold after an answered push says, and that it is true.</summary>
public sealed class PushHoldStepTests(PortalApp app) : PortalTests<PortalApp>(app)
{
    private const string Login = "pat.push@example.com";

    private async Task AnswerThePushAsync(bool approve)
    {
        using var browser = await App.NewBrowserWithPushSentAsync(Login);
        var push = Assert.Single(App.Okta.GetPendingPushes(Login));
        _ = approve ? App.Okta.ApprovePush(push.TransactionId, push.CorrectAnswer) : App.Okta.DenyPush(push.TransactionId);
        await browser.PollAsync();
    }

    private static string Countdown(PortalBrowser browser) => browser.Page.QuerySelector("#resend-countdown")?.TextContent.Trim() ?? string.Empty;

    [Fact]
    public async Task AfterAnApprovedPushTheNextResetsFirstPressSendsAPush()
    {
        await AnswerThePushAsync(approve: true);
        App.Clock.Advance(TimeSpan.FromSeconds(5));

        using var next = await App.NewBrowserWithPushSentAsync(Login);

        Assert.Single(App.Okta.GetPendingPushes(Login));
    }

    [Fact]
    public async Task AfterADeniedPushTheNextResetIsToldTheTimeActuallyLeftAndItsPressThenSends()
    {
        await AnswerThePushAsync(approve: false);
        App.Clock.Advance(TimeSpan.FromSeconds(20));
        using var next = App.NewBrowser();
        await next.ChooseAsync(Login, "push");

        await next.SendPushAsync();

        Assert.Equal("Get a push notification", next.Heading);
        Assert.Equal("We didn't send a push: pushes to one account can only be sent a minute apart. Send it when the wait below is over.", next.Page.QuerySelector(".notice")!.TextContent.Trim());
        Assert.Equal("You can send a push in 40 seconds.", Countdown(next));
        App.Clock.Advance(TimeSpan.FromSeconds(40));
        await next.SendPushAsync();
        Assert.Equal("Check your phone", next.Heading);
    }

    [Fact]
    public async Task APushHeldBackByAnotherResetsOpenPushSaysSoAndNamesWhenThatPushEnds()
    {
        using var first = await App.NewBrowserWithPushSentAsync(Login);
        App.Clock.Advance(TimeSpan.FromSeconds(60));
        using var second = App.NewBrowser();
        await second.ChooseAsync(Login, "push");

        await second.SendPushAsync();

        Assert.Equal("We didn't send a push: another push to this account is still waiting for an answer. Send one when the wait below is over.", second.Page.QuerySelector(".notice")!.TextContent.Trim());
        Assert.Equal("You can send a push in 240 seconds.", Countdown(second));
    }

    [Fact]
    public async Task IveApprovedItPressedRightAfterApprovingLeadsOnWithOnePress()
    {
        using var browser = await App.NewBrowserWithPushSentAsync(Login);
        await browser.PostAsync("/reset/push/check");
        Assert.Equal("/reset/push?notice=waiting", browser.Location); // pressed before answering: Okta said so
        await browser.FollowAsync();
        var push = Assert.Single(App.Okta.GetPendingPushes(Login));
        App.Okta.ApprovePush(push.TransactionId, push.CorrectAnswer);
        App.Clock.Advance(TimeSpan.FromSeconds(1));

        var press = browser.PostAsync("/reset/push/check");
        while (!press.IsCompleted)
        {
            // The press waits for the flow's next Okta interval, on the portal's (fake) clock.
            App.Clock.Advance(TimeSpan.FromMilliseconds(250));
            await Task.WhenAny(press, Task.Delay(10, TestContext.Current.CancellationToken));
        }

        await press;
        Assert.Equal("/reset/password", browser.Location);
        Assert.Equal(2, App.CallsFor(Login, OktaOperations.GetFactorTransactionStatus));
    }
}
