using MfaReset.Browser.Tests.Support;
using Microsoft.Playwright;
using static MfaReset.Browser.Tests.Pages.ResetPortal;
using static Microsoft.Playwright.Assertions;

namespace MfaReset.Browser.Tests.Stories;

/// <summary>A whole reset with the keyboard alone: Tab, Shift+Tab, Enter and Space, the focus always visible.</summary>
[Collection(RealBrowserStories.Name)]
public sealed class KeyboardStory(StoryFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public Task PushResetWithTheKeyboardOnly() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            var pat = DemoUser.Pat;
            var portal = await story.OpenPortalAsync();
            var keys = story.Keyboard;

            // The first stop skips the banner and header.
            await keys.PressTabAsync();
            await Expect(portal.Link("Skip to main content")).ToBeFocusedAsync();
            await keys.PressEnterAsync();
            await Expect(story.Page.GetByRole(AriaRole.Main)).ToBeFocusedAsync();

            await keys.TabToAsync(portal.Username);
            await keys.TypeAsync(pat.Login);
            await keys.TabToAsync(portal.Button("Continue"));
            await keys.PressEnterAsync();

            // The method list is one stop (its other methods are a press of an arrow key away, as in any
            // radio group); coming back to it with Shift+Tab lands on its first method, the push.
            await portal.ShouldBeOnAsync(Headings.ChooseMethod);
            await keys.TabToAsync(portal.Button("Continue"));
            await keys.ShiftTabToAsync(portal.Method(Methods.Push));
            await keys.PressSpaceAsync();
            await Expect(portal.Method(Methods.Push)).ToBeCheckedAsync();
            await keys.TabToAsync(portal.Button("Continue"));
            await keys.PressEnterAsync();

            await portal.ShouldBeOnAsync(Headings.GetPush);
            await keys.TabToAsync(portal.Button("Send push"));
            await keys.PressEnterAsync();

            // The phone is another device: the person taps the number there, and this page moves on by itself.
            await portal.ShouldBeOnAsync(Headings.CheckYourPhone);
            await (await story.PhoneAsync()).TapNumberAsync(pat.Name, await portal.NumberToTapAsync());

            await portal.ShouldBeOnAsync(Headings.NewPassword);
            await keys.TabToAsync(portal.NewPasswordField);
            await keys.TypeAsync(DemoUser.GoodPassword);
            await keys.TabToAsync(portal.ConfirmPasswordField);
            await keys.TypeAsync(DemoUser.GoodPassword);
            await keys.TabToAsync(portal.Button("Change password"));
            await keys.PressEnterAsync();

            await portal.ShouldBeOnAsync(Headings.Done);
        });
}
