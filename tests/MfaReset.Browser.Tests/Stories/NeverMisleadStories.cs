using MfaReset.Browser.Tests.Pages;
using MfaReset.Browser.Tests.Support;
using Microsoft.Playwright;
using static MfaReset.Browser.Tests.Pages.ResetPortal;
using static Microsoft.Playwright.Assertions;

namespace MfaReset.Browser.Tests.Stories;

/// <summary>
/// Issue 26, as a trainer running the demo back to back would meet it: a second tab, a refused password,
/// a spent send limit, a help-desk refusal, the unlock path, a form whose reset has ended, and the small
/// things (one way out on the push page, the demo's sign-in). Every page says what happened and what to do.
/// </summary>
[Collection(StoriesThatWaitOutOktasPauses.Name)]
public sealed class NeverMisleadStories(StoryFixture fixture, ITestOutputHelper output)
{
    /// <summary>Item 2: the second tab's submit sets nothing and says the first tab's password is the one in use.</summary>
    [Fact]
    public Task ASecondTabsPasswordAfterTheFirstTabsSuccessIsNotClaimedAsSet() =>
        fixture.PlayAsync(output, Scripting.Disabled, async story =>
        {
            var first = await HonestPageStories.VerifiedWithTomAsync(story);
            var secondTab = await story.Page.Context.NewPageAsync();
            await secondTab.GotoAsync(new Uri(story.Portal, "/reset/password").ToString());
            var second = new ResetPortal(secondTab);
            await second.ShouldBeOnAsync(Headings.NewPassword);

            await first.ChangePasswordAsync(DemoUser.GoodPassword);
            await first.ShouldBeOnAsync(Headings.Done);
            var changedAt = await story.Org.PasswordChangedAsync(DemoUser.Tom.Login);
            await second.ChangePasswordAsync("Quiet-Meadow-Lantern-7");

            await second.ShouldBeOnAsync("Your password was already changed in another tab");
            await Expect(secondTab.GetByRole(AriaRole.Main)).ToContainTextAsync("the password you just entered was not set");
            await Expect(secondTab.GetByText("Your password has been changed")).ToHaveCountAsync(0);
            Assert.Equal(changedAt, await story.Org.PasswordChangedAsync(DemoUser.Tom.Login));
        });

    /// <summary>Item 3, without scripts: the refusal is the only feedback, so it names the rules that failed, in the checklist's words.</summary>
    [Fact]
    public Task ARefusedPasswordNamesTheRulesItBrokeNotCommonness() =>
        fixture.PlayAsync(output, Scripting.Disabled, async story =>
        {
            var portal = await HonestPageStories.VerifiedWithTomAsync(story);
            var reasons = portal.Page.Locator("#password-rejections li");

            await portal.ChangePasswordAsync("Short1");
            await Expect(reasons).ToHaveTextAsync(["be at least 8 characters long"]);

            await portal.ChangePasswordAsync("alllowercase12");
            await Expect(reasons).ToHaveTextAsync(["include an uppercase letter"]);

            await portal.ChangePasswordAsync("Password123");
            await Expect(reasons).ToHaveTextAsync(["not be a commonly used password or one that is easy to guess"]);

            await Expect(portal.Page.GetByText("too common")).ToHaveCountAsync(0);
            await portal.ChangePasswordAsync(DemoUser.GoodPassword);
            await portal.ShouldBeOnAsync(Headings.Done);
        });

    /// <summary>Item 3, with scripts: the live checklist and the server agree on the person's own name.</summary>
    [Fact]
    public Task TheLiveChecklistMarksTheNameRuleUnmetAsTheServerRefusesIt() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            var portal = await HonestPageStories.VerifiedWithTomAsync(story);
            var usernameRule = portal.Page.Locator("#password-policy li").Filter(new() { HasText = "not contain your username, or your name or email address" });

            await portal.NewPasswordField.PressSequentiallyAsync("Tomtorres1");

            await Expect(usernameRule).ToHaveAttributeAsync("data-state", "unmet");
            await Expect(portal.Page.Locator("[data-rules-summary]")).Not.ToHaveTextAsync("All the rules that can be checked while you type are met.");
            await portal.ConfirmPasswordField.FillAsync("Tomtorres1");
            await portal.Button("Change password").ClickAsync();
            await Expect(portal.Page.Locator("#password-rejections li")).ToHaveTextAsync(["not contain your username, or your name or email address"]);
        });

    /// <summary>Item 4: with one code a quarter hour, a fresh reset's first send names the limit, its numbers and the other ways.</summary>
    [Fact]
    public Task AFreshResetsSendOverThePersonsLimitSaysWhichLimitAndWhatElseToDo() =>
        fixture.PlayAsync(output, Scripting.Enabled, settings: new Dictionary<string, string?> { ["Reset:Limits:SendsPerUser"] = "1" }, story: async story =>
        {
            var sam = DemoUser.Sam;
            var portal = await story.OpenPortalAsync();
            await portal.StartAsync(sam.Login);
            await portal.SendTextMessageCodeAsync();
            // The 30-second pause between codes has passed once "Send a new code" is enabled again.
            await Expect(portal.Button("Send a new code")).ToBeEnabledAsync(new() { Timeout = 45_000 });

            await story.OpenPortalAsync();
            await portal.StartAsync(sam.Login);
            await portal.ChooseAsync(Methods.Sms);
            await portal.Button("Send code").ClickAsync();

            await portal.ShouldBeOnAsync("Too many codes sent to this account");
            var page = portal.Page.GetByRole(AriaRole.Main);
            await Expect(page).ToContainTextAsync("Nothing was sent this time");
            await Expect(page).ToContainTextAsync("1 every 15 minutes and 10 a day");
            await Expect(page).ToContainTextAsync("choose another method");
            await Expect(page.GetByText("Reference:")).ToBeVisibleAsync();
            await Expect(portal.Page.GetByText("Too many attempts")).ToHaveCountAsync(0);
            Assert.Equal(1, await story.Org.VerificationsAsync());
        });

    /// <summary>Item 5: the directory user's refusal shows the help desk's phone and hours, and its main action is the help desk.</summary>
    [Fact]
    public Task AHelpDeskRefusalShowsTheHelpDeskAndDoesNotOfferTheSameRefusalAgain() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            var dirk = DemoUser.Dirk;
            var portal = await story.OpenAndChooseAsync(dirk.Login, Methods.OktaVerifyCode);
            await portal.EnterCodeAsync(await (await story.PhoneAsync()).ReadAuthenticatorCodeAsync(dirk.Name));

            await portal.ShouldBeOnAsync("Contact your help desk");
            var page = portal.Page.GetByRole(AriaRole.Main);
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "+1 202 555 0100" })).ToHaveAttributeAsync("href", "tel:+12025550100");
            await Expect(page).ToContainTextAsync("Monday to Friday, 8:00 to 18:00");
            await Expect(page.Locator("a.button")).ToHaveTextAsync(["Open a help desk ticket"]);
            await Expect(page.Locator("a.button")).ToHaveAttributeAsync("href", "https://help.example.com/password");
            await Expect(portal.Link("Start again")).ToHaveCountAsync(0);
        });

    /// <summary>Item 6: the unlock's push page speaks of the unlock, and its problem page starts the unlock again.</summary>
    [Fact]
    public Task TheUnlockPathSaysUnlockAndStartsAgainAtTheUnlock() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            var liam = DemoUser.Liam;
            var portal = await story.OpenPortalAsync();
            await portal.Link("Unlock my account").ClickAsync();
            await portal.StartUnlockAsync(liam.Login);
            await portal.ChooseAsync(Methods.Push);
            await portal.Button("Send push").ClickAsync();
            await portal.ShouldBeOnAsync(Headings.CheckYourPhone);
            await Expect(portal.Page.GetByText("Only approve if you started unlocking your account yourself.")).ToBeVisibleAsync();
            await Expect(portal.Page.GetByText("password reset yourself")).ToHaveCountAsync(0);

            await (await story.PhoneAsync()).DenyPushAsync(liam.Name);

            await portal.ShouldBeOnAsync(Headings.PushDenied);
            await portal.Link("Start again").ClickAsync();
            await portal.ShouldBeOnAsync(Headings.Unlock);
        });

    /// <summary>Item 7: when the reset's time is up the code form is switched off and "Start again" leads to the first page.</summary>
    [Fact]
    public Task WhenTheResetEndsTheCodeFormIsSwitchedOffAndStartAgainIsALink() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            await story.Page.Clock.InstallAsync();
            var portal = await story.OpenAndChooseAsync(DemoUser.Tom.Login, Methods.OktaVerifyCode);
            await portal.ShouldBeOnAsync(Headings.EnterOktaVerifyCode);
            await Expect(portal.Button("Verify")).ToBeEnabledAsync();

            await story.Page.Clock.RunForAsync((long)TimeSpan.FromMinutes(6).TotalMilliseconds);

            await Expect(portal.Page.GetByText("This reset has ended because of inactivity.")).ToBeVisibleAsync();
            await Expect(portal.Button("Verify")).ToBeDisabledAsync();
            await Expect(portal.CodeField).ToBeDisabledAsync();
            await Expect(portal.Page.GetByText("Enter the code within")).ToBeHiddenAsync();
            await Expect(portal.Link("Try another method")).ToBeHiddenAsync();
            await portal.Link("Start again").ClickAsync();
            await portal.ShouldBeOnAsync(Headings.ForgotPassword);
        });

    /// <summary>Item 9: the demo's done page does not send people to a made-up Okta org.</summary>
    [Fact]
    public Task TheDemosDonePageSaysItIsADemoInsteadOfLeavingForAnotherSite() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            var portal = await HonestPageStories.VerifiedWithTomAsync(story);
            await portal.ChangePasswordAsync(DemoUser.GoodPassword);

            await portal.ShouldBeOnAsync(Headings.Done);
            await Expect(portal.Page.GetByText("This is a demo: the simulated Okta org has no sign-in page.")).ToBeVisibleAsync();
            await Expect(portal.Page.Locator("a[href^='https://example.okta.com']")).ToHaveCountAsync(0);
        });
}
