using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>
/// The code page when another reset's send to the person is moments old: the normal "sent" page (that code works
/// here, and a different page would tell an account that exists from one that does not), and the wait it names is real.
/// </summary>
public sealed class CodeHoldStepTests(PortalApp app) : PortalTests<PortalApp>(app)
{
    private const string Login = "sam.sms@example.com";

    [Fact]
    public async Task ACodeHeldBackByAnotherResetsPauseShowsTheSentPageNamesTheRealWaitAndSendsWhenItSays()
    {
        using (var earlier = App.NewBrowser())
        {
            await earlier.ChooseAsync(Login, "sms");
            await earlier.SendCodeAsync();
        }

        App.Clock.Advance(TimeSpan.FromSeconds(10));
        using var browser = App.NewBrowser();
        await browser.ChooseAsync(Login, "sms");
        await browser.SendCodeAsync();
        Assert.Equal("Enter the code we sent", browser.Heading);
        Assert.Single(App.Okta.GetMessages(Login));
        Assert.Equal("You can ask for a code in 30 seconds.", browser.Page.QuerySelector("#resend-countdown")!.TextContent.Trim());

        App.Clock.Advance(TimeSpan.FromSeconds(20));
        await browser.SendCodeAsync();

        Assert.Equal("We didn't send a code: codes can only be sent a little while apart. Ask again when the wait below is over.", browser.Page.QuerySelector(".notice")!.TextContent.Trim());
        Assert.Equal("You can ask for a code in 10 seconds.", browser.Page.QuerySelector("#resend-countdown")!.TextContent.Trim());
        App.Clock.Advance(TimeSpan.FromSeconds(10));
        await browser.SendCodeAsync();
        Assert.Equal("Enter the code we sent", browser.Heading);
        Assert.Equal(2, App.Okta.GetMessages(Login).Count);
    }
}
