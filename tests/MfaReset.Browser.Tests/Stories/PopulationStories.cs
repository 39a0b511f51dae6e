using MfaReset.Browser.Tests.Pages;
using MfaReset.Browser.Tests.Support;
using static MfaReset.Browser.Tests.Pages.ResetPortal;
using static Microsoft.Playwright.Assertions;

namespace MfaReset.Browser.Tests.Stories;

/// <summary>People of a real org: imported, in Active Directory (both modes), signing in at an identity provider.</summary>
[Collection(RealBrowserStories.Name)]
public sealed class PopulationStories(StoryFixture fixture, ITestOutputHelper output)
{
    private static readonly Dictionary<string, string?> SetThroughOkta = new() { ["Reset:DirectoryUsers"] = "SetThroughOkta" };

    [Theory, WithAndWithoutScripts]
    public Task ImportedUserResetsThePasswordWithATextMessage(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, story =>
            CodeStories.ResetWithSentCodeAsync(story, DemoUser.Ivy, Methods.Sms, Headings.GetSmsCode, "Send code", (phone, name) => phone.ReadTextMessageCodeAsync(name)));

    [Theory, WithAndWithoutScripts]
    public Task DirectoryUserIsSentToTheHelpDeskAfterVerification(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, async story =>
        {
            var passwordBefore = await story.Org.PasswordChangedAsync(DemoUser.Dirk.Login);

            var portal = await VerifyWithOktaVerifyCodeAsync(story, DemoUser.Dirk);

            await portal.ShouldBeOnAsync("Contact your help desk");
            await Expect(portal.Page.GetByRole(Microsoft.Playwright.AriaRole.Main)).ToContainTextAsync("managed by another system");
            Assert.Equal(passwordBefore, await story.Org.PasswordChangedAsync(DemoUser.Dirk.Login));
        });

    [Theory, WithAndWithoutScripts]
    public Task DirectoryUserSetsThePasswordThroughOktaWhenTheOrgAllowsIt(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, settings: SetThroughOkta, story: async story =>
        {
            var passwordBefore = await story.Org.PasswordChangedAsync(DemoUser.Dirk.Login);

            var portal = await VerifyWithOktaVerifyCodeAsync(story, DemoUser.Dirk);
            await portal.ChangePasswordAsync(DemoUser.GoodPassword);

            await portal.ShouldBeOnAsync(Headings.Done);
            Assert.True(await story.Org.PasswordChangedAsync(DemoUser.Dirk.Login) > passwordBefore, "Okta never received the new password.");
        });

    [Theory, WithAndWithoutScripts]
    public Task FederatedUserIsToldToSignInWithTheIdentityProvider(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, async story =>
        {
            var portal = await VerifyWithOktaVerifyCodeAsync(story, DemoUser.Fred);

            await portal.ShouldBeOnAsync("Sign in with your identity provider");
            await Expect(portal.Page.GetByRole(Microsoft.Playwright.AriaRole.Main)).ToContainTextAsync("Nothing was changed.");
        });

    private static async Task<ResetPortal> VerifyWithOktaVerifyCodeAsync(Story story, DemoUser person)
    {
        var portal = await story.OpenAndChooseAsync(person.Login, Methods.OktaVerifyCode);
        await portal.ShouldBeOnAsync(Headings.EnterOktaVerifyCode);
        await portal.EnterCodeAsync(await (await story.PhoneAsync()).ReadAuthenticatorCodeAsync(person.Name));
        return portal;
    }
}
