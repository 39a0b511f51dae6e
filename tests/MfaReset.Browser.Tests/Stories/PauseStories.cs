using MfaReset.Browser.Tests.Pages;
using MfaReset.Browser.Tests.Support;
using static MfaReset.Browser.Tests.Pages.ResetPortal;
using static Microsoft.Playwright.Assertions;

namespace MfaReset.Browser.Tests.Stories;

/// <summary>
/// The verification pause as the attacked person meets it: someone else's wrong codes pause Okta Verify codes
/// one short of Okta's lockout, the page says what still works and when codes return, and a push still resets.
/// </summary>
[Collection(RealBrowserStories.Name)]
public sealed class PauseStories(StoryFixture fixture, ITestOutputHelper output)
{
    private const string PausedHeading = "Codes are paused for your account";
    private static readonly DemoUser Max = DemoUser.Max;

    [Fact]
    public Task AfterSomeoneElsesWrongCodesThePausePageLeadsToAPushThatResets() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            var wrong = await (await story.PhoneAsync()).CodeNoAppShowsAsync(Max.Name);
            var portal = await story.OpenPortalAsync();
            await StartWithCodeAsync(portal);
            for (var i = 0; i < 3; i++)
            {
                await portal.EnterCodeAsync(wrong);
            }

            await portal.ShouldBeOnAsync("Too many attempts");
            await portal.Link("Start again").ClickAsync();
            await StartWithCodeAsync(portal);
            await portal.EnterCodeAsync(wrong);
            await Expect(portal.ErrorSummary).ToContainTextAsync("That code didn't work.");
            await portal.EnterCodeAsync(wrong);

            await portal.ShouldBeOnAsync(PausedHeading);
            var lead = story.Page.Locator(".lead");
            await Expect(lead).ToContainTextAsync("You can still confirm it's you with an Okta Verify push notification");
            await Expect(lead).ToContainTextAsync("Codes work again within 1 hour");

            await portal.Link("Start again").ClickAsync();
            await portal.StartAsync(Max.Login);
            await portal.ChooseAsync(Methods.Push);
            await portal.Button("Send push").ClickAsync();
            await portal.ShouldBeOnAsync(Headings.CheckYourPhone);
            await (await story.PhoneAsync()).TapNumberAsync(Max.Name, await portal.NumberToTapAsync());
            await portal.ChangePasswordAsync(DemoUser.GoodPassword);
            await portal.ShouldBeOnAsync(Headings.Done);
        });

    private static async Task StartWithCodeAsync(ResetPortal portal)
    {
        await portal.StartAsync(Max.Login);
        await portal.ChooseAsync(Methods.OktaVerifyCode);
        await portal.ShouldBeOnAsync(Headings.EnterOktaVerifyCode);
    }
}
