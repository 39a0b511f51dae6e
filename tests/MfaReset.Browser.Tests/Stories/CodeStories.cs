using MfaReset.Browser.Tests.Pages;
using MfaReset.Browser.Tests.Support;
using Microsoft.Playwright;
using static MfaReset.Browser.Tests.Pages.ResetPortal;
using static Microsoft.Playwright.Assertions;

namespace MfaReset.Browser.Tests.Stories;

/// <summary>Resets with a code: sent by text message or voice call, or read from an authenticator app.</summary>
[Collection(StoriesThatWaitOutOktasPauses.Name)]
public sealed class CodeStories(StoryFixture fixture, ITestOutputHelper output)
{
    [Theory, WithAndWithoutScripts]
    public Task SmsWrongCodeIsRefusedThenTheRightCodeResetsThePassword(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, async story =>
        {
            var sam = DemoUser.Sam;
            var passwordBefore = await story.Org.PasswordChangedAsync(sam.Login);
            var portal = await story.OpenAndChooseAsync(sam.Login, Methods.Sms);
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
        fixture.PlayAsync(output, scripting, story =>
            ResetWithSentCodeAsync(story, DemoUser.Vera, Methods.Voice, Headings.GetVoiceCode, "Call me", (phone, name) => phone.ReadVoiceCallCodeAsync(name)));

    /// <summary>
    /// Okta throttles voice calls harder than the portal's own 30-second cooldown here (the sandbox's
    /// call throttle set to a minute): "Send a new code" reaches Okta's throttle, and the page says to wait
    /// or use another method, with a countdown; the first call's code still completes the reset. With
    /// scripts only: the story waits out the portal's real 30-second cooldown for the button to enable.
    /// </summary>
    [Fact]
    public Task CallResendHittingOktasCallThrottleSaysWaitOrTryAnotherMethod() =>
        fixture.PlayAsync(output, Scripting.Enabled, settings: SlowCallThrottle, story: async story =>
        {
            var vera = DemoUser.Vera;
            var portal = await story.OpenAndChooseAsync(vera.Login, Methods.Voice);
            await portal.Button("Call me").ClickAsync();
            await portal.ShouldBeOnAsync(Headings.EnterToldCode);
            var code = await (await story.PhoneAsync()).ReadVoiceCallCodeAsync(vera.Name);

            var resend = portal.Button("Call me again");
            await Expect(resend).ToBeEnabledAsync(new() { Timeout = 45_000 });
            await resend.ClickAsync();

            await portal.ShouldBeOnAsync(Headings.EnterToldCode);
            await Expect(portal.Page.GetByRole(AriaRole.Status).First).ToContainTextAsync("We didn't call: Okta can't call your phone right now. Wait a little and ask again, or try another method.");
            await Expect(portal.Page.GetByText("You can ask for a call in")).ToBeVisibleAsync();
            await Expect(portal.Link("Try another method")).ToBeVisibleAsync();
            await portal.EnterCodeAsync(code);
            await portal.ChangePasswordAsync(DemoUser.GoodPassword);
            await portal.ShouldBeOnAsync(Headings.Done);
        });

    private static readonly Dictionary<string, string?> SlowCallThrottle = new() { ["Sandbox:ResendCooldown"] = "00:01:00" };

    /// <summary>The whole reset with a code sent by text message or voice call.</summary>
    internal static async Task ResetWithSentCodeAsync(Story story, DemoUser user, string method, string heading, string sendButton, Func<PhoneSimulator, string, Task<string>> readCode)
    {
        var portal = await story.OpenAndChooseAsync(user.Login, method);
        await portal.ShouldBeOnAsync(heading);
        await portal.Button(sendButton).ClickAsync();
        await portal.ShouldBeOnAsync(method == Methods.Voice ? Headings.EnterToldCode : Headings.EnterSentCode);

        await portal.EnterCodeAsync(await readCode(await story.PhoneAsync(), user.Name));
        await portal.ChangePasswordAsync(DemoUser.GoodPassword);
        await portal.ShouldBeOnAsync(Headings.Done);
    }

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
        var portal = await story.OpenAndChooseAsync(user.Login, method);
        await portal.ShouldBeOnAsync(heading);

        await portal.EnterCodeAsync(await (await story.PhoneAsync()).ReadAuthenticatorCodeAsync(user.Name));
        await portal.ChangePasswordAsync(DemoUser.GoodPassword);
        await portal.ShouldBeOnAsync(Headings.Done);
    }

    /// <summary>A well-formed code that is not <paramref name="code"/>: each digit moved on by one.</summary>
    internal static string WrongCode(string code) => string.Concat(code.Select(d => (char)('0' + ((d - '0' + 1) % 10))));
}
