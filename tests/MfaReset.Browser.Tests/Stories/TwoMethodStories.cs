using MfaReset.Browser.Tests.Infrastructure;
using MfaReset.Browser.Tests.Pages;
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
            var portal = await story.OpenPortalAsync();
            await portal.StartAsync(max.Login);
            await portal.ChooseAsync(Methods.Sms);
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
}
