using MfaReset.Browser.Tests.Infrastructure;
using MfaReset.Browser.Tests.Pages;
using static MfaReset.Browser.Tests.Pages.ResetPortal;
using static Microsoft.Playwright.Assertions;

namespace MfaReset.Browser.Tests.Stories;

/// <summary>Resets with a code: sent by text message or voice call, or read from an authenticator app.</summary>
[Collection(RealBrowserStories.Name)]
public sealed class CodeStories(StoryFixture fixture, ITestOutputHelper output)
{
    [Theory, WithAndWithoutScripts]
    public Task SmsWrongCodeIsRefusedThenTheRightCodeResetsThePassword(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, async story =>
        {
            var sam = DemoUser.Sam;
            var passwordBefore = await story.Org.PasswordChangedAsync(sam.Login);
            var portal = await story.OpenPortalAsync();
            await portal.StartAsync(sam.Login);
            await portal.ChooseAsync(Methods.Sms);
            await portal.ShouldBeOnAsync(Headings.GetSmsCode);
            await portal.Button("Send code").ClickAsync();
            await portal.ShouldBeOnAsync(Headings.EnterSentCode);

            var code = await (await story.PhoneAsync()).ReadTextMessageCodeAsync(sam.Name);
            await portal.EnterCodeAsync(WrongCode(code));
            await portal.ShouldBeOnAsync(Headings.EnterSentCode);
            await Expect(portal.ErrorSummary).ToContainTextAsync("That code didn't work. Check it and try again: you have 2 tries left.");
            await Expect(portal.CodeField).ToHaveValueAsync("");

            await portal.EnterCodeAsync(code);
            await portal.ChangePasswordAsync(DemoUser.GoodPassword);
            await portal.ShouldBeOnAsync(Headings.Done);
            Assert.True(await story.Org.PasswordChangedAsync(sam.Login) > passwordBefore, "Okta never received the new password.");
        });

    [Theory, WithAndWithoutScripts]
    public Task VoiceCallCodeResetsThePassword(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, async story =>
        {
            var vera = DemoUser.Vera;
            var portal = await story.OpenPortalAsync();
            await portal.StartAsync(vera.Login);
            await portal.ChooseAsync(Methods.Voice);
            await portal.ShouldBeOnAsync(Headings.GetVoiceCode);
            await portal.Button("Call me").ClickAsync();
            await portal.ShouldBeOnAsync(Headings.EnterToldCode);

            await portal.EnterCodeAsync(await (await story.PhoneAsync()).ReadVoiceCallCodeAsync(vera.Name));
            await portal.ChangePasswordAsync(DemoUser.GoodPassword);
            await portal.ShouldBeOnAsync(Headings.Done);
        });

    [Theory, WithAndWithoutScripts]
    public Task OktaVerifyCodeFromThePhoneResetsThePassword(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, story =>
            ResetWithAuthenticatorAsync(story, DemoUser.Tom, Methods.OktaVerifyCode, Headings.EnterOktaVerifyCode));

    [Theory, WithAndWithoutScripts]
    public Task GoogleAuthenticatorCodeFromThePhoneResetsThePassword(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, story =>
            ResetWithAuthenticatorAsync(story, DemoUser.Gail, Methods.GoogleAuthenticator, Headings.EnterGoogleAuthenticatorCode));

    private static async Task ResetWithAuthenticatorAsync(Story story, DemoUser user, string method, string heading)
    {
        var portal = await story.OpenPortalAsync();
        await portal.StartAsync(user.Login);
        await portal.ChooseAsync(method);
        await portal.ShouldBeOnAsync(heading);

        await portal.EnterCodeAsync(await (await story.PhoneAsync()).ReadAuthenticatorCodeAsync(user.Name));
        await portal.ChangePasswordAsync(DemoUser.GoodPassword);
        await portal.ShouldBeOnAsync(Headings.Done);
    }

    /// <summary>A well-formed code that is not <paramref name="code"/>: each digit moved on by one.</summary>
    internal static string WrongCode(string code) => string.Concat(code.Select(d => (char)('0' + ((d - '0' + 1) % 10))));
}
