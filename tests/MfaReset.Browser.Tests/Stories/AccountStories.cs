using System.Text.RegularExpressions;
using MfaReset.Browser.Tests.Pages;
using MfaReset.Browser.Tests.Support;
using Microsoft.Playwright;
using static MfaReset.Browser.Tests.Pages.ResetPortal;
using static Microsoft.Playwright.Assertions;

namespace MfaReset.Browser.Tests.Stories;

/// <summary>Who is resetting: a password Okta refuses, a username Okta does not know, a locked-out account.</summary>
[Collection(RealBrowserStories.Name)]
public sealed partial class AccountStories(StoryFixture fixture, ITestOutputHelper output)
{
    [Theory, WithAndWithoutScripts]
    public Task PasswordRejectedByThePolicyIsExplainedThenABetterOneIsAccepted(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, async story =>
        {
            var tom = DemoUser.Tom;
            var portal = await story.OpenAndChooseAsync(tom.Login, Methods.OktaVerifyCode);
            await portal.EnterCodeAsync(await (await story.PhoneAsync()).ReadAuthenticatorCodeAsync(tom.Name));

            // Meets every line the checklist can check; only Okta knows its history (the sandbox's seeded password).
            const string UsedBefore = "Seeded-Demo-Passw0rd";
            await portal.ChangePasswordAsync(UsedBefore);
            await portal.ShouldBeOnAsync(Headings.NewPassword);
            await Expect(portal.ErrorSummary).ToContainTextAsync("This password wasn't accepted. Choose a different one");
            await Expect(portal.Page.Locator("#password-rejections")).ToHaveTextAsync("Choose a password you haven't used before: it can't be one of your last 4.");
            await Expect(portal.NewPasswordField).ToHaveAttributeAsync("aria-invalid", "true");
            await Expect(portal.NewPasswordField).ToHaveValueAsync("");
            Assert.DoesNotContain(UsedBefore, await story.Page.ContentAsync(), StringComparison.Ordinal);

            await portal.ChangePasswordAsync(DemoUser.GoodPassword);
            await portal.ShouldBeOnAsync(Headings.Done);
        });

    [Theory, WithAndWithoutScripts]
    public Task UnknownUsernameSeesTheSamePagesAsARealOneAndNothingIsSent(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, async story =>
        {
            var portal = await story.OpenPortalAsync();
            var unknown = await WalkToSecondWrongCodeAsync(portal, "nobody.here@example.com");
            Assert.Equal(0, await story.Org.VerificationsAsync());
            await (await story.PhoneAsync()).ShouldShowNoMessagesAsync(DemoUser.Sam.Name);

            await portal.Link("Try another method").ClickAsync();
            await portal.Link("Start again with a different username").ClickAsync();
            var real = await WalkToSecondWrongCodeAsync(portal, DemoUser.Sam.Login);

            Assert.Equal(real, unknown);
            Assert.True(await story.Org.VerificationsAsync() > 0, "The real user's walk should have sent an SMS.");
        });

    [Theory, WithAndWithoutScripts]
    public Task LockedOutUserResetsThePasswordAndEndsUnlocked(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, async story =>
        {
            var lou = DemoUser.Lou;
            var phone = await story.PhoneAsync();
            await phone.ShouldShowStatusAsync(lou.Name, "LOCKED_OUT");

            var portal = await story.OpenAndChooseAsync(lou.Login, Methods.OktaVerifyCode);
            await portal.EnterCodeAsync(await phone.ReadAuthenticatorCodeAsync(lou.Name));
            await portal.ChangePasswordAsync(DemoUser.GoodPassword);
            await portal.ShouldBeOnAsync(Headings.Done);

            await phone.ShouldShowStatusAsync(lou.Name, "ACTIVE");
            Assert.Equal("ACTIVE", await story.Org.StatusOfAsync(lou.Login));
        });

    /// <summary>
    /// Username, SMS, send, a wrong code: the main content of each page as a screen reader would read
    /// it (its accessibility tree), with numbers blanked since countdowns tick.
    /// </summary>
    private static async Task<IReadOnlyList<string>> WalkToSecondWrongCodeAsync(ResetPortal portal, string username)
    {
        var seen = new List<string>();
        async Task See() => seen.Add(Digits().Replace(await portal.Page.GetByRole(AriaRole.Main).AriaSnapshotAsync(), "#"));

        await portal.ShouldBeOnAsync(Headings.ForgotPassword);
        await See();
        await portal.StartAsync(username);
        await See();
        await portal.ChooseAsync(Methods.Sms);
        await portal.ShouldBeOnAsync(Headings.GetSmsCode);
        await See();
        await portal.Button("Send code").ClickAsync();
        await portal.ShouldBeOnAsync(Headings.EnterSentCode);
        await See();
        await portal.EnterCodeAsync("123456");
        await Expect(portal.ErrorSummary).ToContainTextAsync("That code didn't work.");
        await See();
        return seen;
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
