using MfaReset.Browser.Tests.Pages;
using MfaReset.Browser.Tests.Screenshots;
using MfaReset.Browser.Tests.Support;
using Microsoft.Playwright;
using static MfaReset.Browser.Tests.Pages.ResetPortal;
using static Microsoft.Playwright.Assertions;

namespace MfaReset.Browser.Tests.Stories;

/// <summary>
/// "Unlock my account" (a locked-out person who knows their password) and a reset by an emailed code.
/// The new pages are checked with axe-core; with <c>MFARESET_SCREENSHOTS=1</c> they are photographed for the README.
/// </summary>
[Collection(RealBrowserStories.Name)]
public sealed class UnlockAndEmailStories(StoryFixture fixture, ITestOutputHelper output)
{
    private static readonly Dictionary<string, string?> WithEmail = new()
    {
        ["Reset:EnabledFactorKinds:0"] = "OktaVerifyPush",
        ["Reset:EnabledFactorKinds:1"] = "Sms",
        ["Reset:EnabledFactorKinds:2"] = "Email",
    };

    [Fact]
    public Task LockedOutPersonUnlocksWithAPushAndKeepsTheirPassword() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            var liam = DemoUser.Liam;
            var passwordBefore = await story.Org.PasswordChangedAsync(liam.Login);
            var portal = await story.OpenPortalAsync();
            await portal.Link("Unlock my account").ClickAsync();
            await portal.ShouldBeOnAsync(Headings.Unlock);
            await story.Axe.AssertNoSeriousViolationsAsync(story.Page, "Unlock your account", "first visit");
            await ScreenshotTour.ShootAsync(story.Page, "15-unlock");

            await portal.StartUnlockAsync(liam.Login);
            await portal.ChooseAsync(Methods.Push);
            await portal.Button("Send push").ClickAsync();
            await portal.ShouldBeOnAsync(Headings.CheckYourPhone);
            var number = await portal.NumberToTapAsync();
            await (await story.PhoneAsync()).TapNumberAsync(liam.Name, number);

            await portal.ShouldBeOnAsync(Headings.Unlocked);
            await Expect(story.Page.GetByText("If your account was locked, it is unlocked now. Sign in with your current password.")).ToBeVisibleAsync();
            await story.Axe.AssertNoSeriousViolationsAsync(story.Page, "Your account is unlocked", "after a push");
            await ScreenshotTour.ShootAsync(story.Page, "16-unlocked");
            await ShouldBeUnlockedWithTheSamePasswordAsync(story, liam, passwordBefore);
        });

    [Fact]
    public Task LockedOutPersonUnlocksWithAnSmsCodeWithoutScripts() =>
        fixture.PlayAsync(output, Scripting.Disabled, async story =>
        {
            var liam = DemoUser.Liam;
            var passwordBefore = await story.Org.PasswordChangedAsync(liam.Login);

            var portal = await UnlockWithAnSmsCodeAsync(story, liam);

            await portal.ShouldBeOnAsync(Headings.Unlocked);
            await ShouldBeUnlockedWithTheSamePasswordAsync(story, liam, passwordBefore);
        });

    [Fact]
    public Task UnlockOfAnAccountThatIsNotLockedSaysSo() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            var sam = DemoUser.Sam;

            var portal = await UnlockWithAnSmsCodeAsync(story, sam);

            await portal.ShouldBeOnAsync("Your account was not locked");
            await story.Axe.AssertNoSeriousViolationsAsync(story.Page, "Your account was not locked", "after a code");
            Assert.Equal("ACTIVE", await story.Org.StatusOfAsync(sam.Login));
        });

    [Fact]
    public Task UnlockForAnUnknownUsernameShowsTheSamePagesAndSendsNothing() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            var portal = await story.OpenPortalAsync();
            await story.Page.GotoAsync(new Uri(story.Portal, "/unlock").ToString());
            await portal.StartUnlockAsync("nobody.at.all@example.com");
            await portal.SendTextMessageCodeAsync();

            await portal.EnterCodeAsync("123456");

            await Expect(portal.ErrorSummary).ToContainTextAsync("That code didn't work.");
            Assert.Equal(0, await story.Org.VerificationsAsync());
        });

    /// <summary>
    /// Without scripts the "Send a new code" button is pressed at once: inside the pause between codes,
    /// nothing is sent and the page says to wait; a wrong code is refused; the first code resets.
    /// </summary>
    [Fact]
    public Task EmailCodeWithAWrongCodeAndAnEarlyResendResetsThePassword() =>
        fixture.PlayAsync(output, Scripting.Disabled, settings: WithEmail, story: async story =>
        {
            var emma = DemoUser.Emma;
            var portal = await story.OpenAndChooseAsync(emma.Login, Methods.Email);
            await portal.ShouldBeOnAsync(Headings.GetEmailCode);
            await story.Axe.AssertNoSeriousViolationsAsync(story.Page, "Get a code by email", "first visit");
            await portal.Button("Send code").ClickAsync();
            await portal.ShouldBeOnAsync(Headings.EnterEmailedCode);
            await story.Axe.AssertNoSeriousViolationsAsync(story.Page, "Enter the code we emailed you", "code sent");
            await ScreenshotTour.ShootAsync(story.Page, "17-email-code");

            var phone = await story.PhoneAsync();
            var code = await phone.ReadEmailCodeAsync(emma.Name);
            await ScreenshotTour.ShootAsync(phone.PhoneOf(emma.Name), "18-phone-simulator-inbox");
            await portal.EnterCodeAsync(code == "000000" ? "111111" : "000000");
            await Expect(portal.ErrorSummary).ToContainTextAsync("That code didn't work. Check it and try again: you have 2 tries left.");

            await portal.Button("Send a new code").ClickAsync();
            await Expect(portal.Page.GetByRole(AriaRole.Status).First).ToContainTextAsync("We didn't send a code");
            await Expect(phone.PhoneOf(emma.Name).GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Email" })).ToHaveCountAsync(1);

            await portal.EnterCodeAsync(code);
            await portal.ChangePasswordAsync(DemoUser.GoodPassword);
            await portal.ShouldBeOnAsync(Headings.Done);
        });

    private static async Task ShouldBeUnlockedWithTheSamePasswordAsync(Story story, DemoUser user, DateTimeOffset passwordBefore)
    {
        Assert.Equal("ACTIVE", await story.Org.StatusOfAsync(user.Login));
        Assert.Equal(passwordBefore, await story.Org.PasswordChangedAsync(user.Login));
    }

    /// <summary>Opens "Unlock my account", asks for a text message and enters its code.</summary>
    private static async Task<ResetPortal> UnlockWithAnSmsCodeAsync(Story story, DemoUser user)
    {
        var portal = await story.OpenPortalAsync();
        await story.Page.GotoAsync(new Uri(story.Portal, "/unlock").ToString());
        await portal.StartUnlockAsync(user.Login);
        await portal.SendTextMessageCodeAsync();
        await portal.EnterCodeAsync(await (await story.PhoneAsync()).ReadTextMessageCodeAsync(user.Name));
        return portal;
    }
}
