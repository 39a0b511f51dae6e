using MfaReset.Browser.Tests.Pages;
using MfaReset.Browser.Tests.Support;
using Microsoft.Playwright;
using static MfaReset.Browser.Tests.Pages.ResetPortal;
using static Microsoft.Playwright.Assertions;

namespace MfaReset.Browser.Tests.Stories;

/// <summary><c>Reset:MethodsRequired=2</c>: a reset with two distinct methods, the first not offered again.</summary>
[Collection(RealBrowserStories.Name)]
public sealed class TwoMethodStories(StoryFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public Task APersonConfirmsWithATextMessageThenAPushAndSetsANewPassword() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            var max = DemoUser.Max;
            var passwordBefore = await story.Org.PasswordChangedAsync(max.Login);
            var portal = await story.OpenAndChooseAsync(max.Login, Methods.Sms);
            await portal.Button("Send code").ClickAsync();
            await portal.EnterCodeAsync(await (await story.PhoneAsync()).ReadTextMessageCodeAsync(max.Name));

            // The first method worked: back to the menu, without text messages, and no password page yet.
            await portal.ShouldBeOnAsync(Headings.ChooseMethod);
            await Expect(story.Page.GetByText("Your organization asks for a second check")).ToBeVisibleAsync();
            await Expect(story.Page.GetByLabel(Methods.Sms)).ToHaveCountAsync(0);
            await story.Axe.AssertNoSeriousViolationsAsync(story.Page, "Confirm it's you", "second method");

            await portal.ChooseAsync(Methods.Push);
            await portal.Button("Send push").ClickAsync();
            await portal.ShouldBeOnAsync(Headings.CheckYourPhone);
            var number = await portal.NumberToTapAsync();
            await (await story.PhoneAsync()).TapNumberAsync(max.Name, number);

            await portal.ShouldBeOnAsync(Headings.NewPassword);
            await portal.ChangePasswordAsync(DemoUser.GoodPassword);
            await portal.ShouldBeOnAsync(Headings.Done);
            Assert.True(await story.Org.PasswordChangedAsync(max.Login) > passwordBefore, "Okta never received the new password.");
        },
        new Dictionary<string, string?> { ["Reset:MethodsRequired"] = "2" });

    /// <summary>
    /// One push approval counts once: while Okta's answer to "I've approved it" is on its way, another tab of the
    /// same browser picks text messages. That change is refused, and the approval counts for the push, which is
    /// not offered again.
    /// </summary>
    [Fact]
    public Task APushApprovalCountsOnceWhenAnotherTabChangesMethodWhileItIsChecked() =>
        fixture.PlayAsync(output, Scripting.Disabled, async story =>
        {
            var max = DemoUser.Max;
            var portal = await story.OpenPortalAsync();
            await portal.StartAsync(max.Login);
            var otherTab = new ResetPortal(await story.Page.Context.NewPageAsync());
            await otherTab.Page.GotoAsync(new Uri(story.Portal, "reset/method").ToString());
            await portal.ChooseAsync(Methods.Push);
            await portal.Button("Send push").ClickAsync();
            await portal.ShouldBeOnAsync(Headings.CheckYourPhone);
            await (await story.PhoneAsync()).TapNumberAsync(max.Name, await portal.NumberToTapAsync());

            await story.Org.ScriptNextCallAsync(max.Login, "Slow");
            var check = portal.Button("I've approved it").ClickAsync();
            await story.Org.WaitUntilTheScriptedCallStartsAsync(max.Login);
            await otherTab.ChooseAsync(Methods.Sms);
            await Expect(otherTab.ErrorSummary).ToContainTextAsync("We're still checking the method you're using. Wait a moment, then choose again.");
            await check;

            await portal.ShouldBeOnAsync(Headings.ChooseMethod);
            await Expect(story.Page.GetByText("Your organization asks for a second check")).ToBeVisibleAsync();
            await Expect(portal.Method(Methods.Push)).ToHaveCountAsync(0);
            await Expect(portal.Method(Methods.Sms)).ToHaveCountAsync(1);
            Assert.Equal(1, await story.Org.VerificationsAsync()); // the one push: the refused change sent nothing
        },
        new Dictionary<string, string?> { ["Reset:MethodsRequired"] = "2", ["Sandbox:Faults:SlowCallDelay"] = "00:00:02" });
}
