using MfaReset.Browser.Tests.Pages;
using MfaReset.Browser.Tests.Stories;
using MfaReset.Browser.Tests.Support;
using Microsoft.Playwright;
using static MfaReset.Browser.Tests.Pages.ResetPortal;
using static Microsoft.Playwright.Assertions;

namespace MfaReset.Browser.Tests.Accessibility;

/// <summary>
/// The dark scheme (<c>prefers-color-scheme: dark</c>) on every kind of page, axe-clean as the light one;
/// and a 320 px wide phone, where no page scrolls sideways.
/// </summary>
[Collection(RealBrowserStories.Name)]
public sealed class AppearanceTests(StoryFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public Task EveryKindOfPageIsAxeCleanInTheDarkScheme() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            await story.Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
            await WalkEveryPageAsync(story, (page, state) => story.Axe.AssertNoSeriousViolationsAsync(story.Page, page, "dark scheme: " + state));
            await Expect(story.Page.Locator("body")).ToHaveCSSAsync("background-color", "rgb(15, 18, 21)");
        });

    [Fact]
    public Task NoPageScrollsSidewaysOnA320PixelPhone() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            await story.Page.SetViewportSizeAsync(320, 640);
            await WalkEveryPageAsync(story, async (page, state) =>
            {
                var width = await story.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
                Assert.True(width <= 320, $"{page} ({state}) is {width} px wide at 320 px.");
            });
        });

    /// <summary>Forgot password, the method menu, the code steps, a wrong code, the password page and a rejection, done, the push page, help, a problem page.</summary>
    private static async Task WalkEveryPageAsync(Story story, Func<string, string, Task> check)
    {
        var sam = DemoUser.Sam;
        var portal = await story.OpenPortalAsync();
        await check("Forgot password", "first visit");
        await portal.StartAsync(sam.Login);
        await check("Choose method", "first visit");
        await portal.ChooseAsync(Methods.Sms);
        await portal.ShouldBeOnAsync(Headings.GetSmsCode);
        await check("Send code", "first visit");
        await portal.Button("Send code").ClickAsync();
        await portal.ShouldBeOnAsync(Headings.EnterSentCode);
        await check("Enter code", "first visit");
        var code = await (await story.PhoneAsync()).ReadTextMessageCodeAsync(sam.Name);
        await portal.EnterCodeAsync(CodeStories.WrongCode(code));
        await Expect(portal.ErrorSummary).ToBeVisibleAsync();
        await check("Enter code", "error: wrong code");
        await portal.EnterCodeAsync(code);
        await portal.ShouldBeOnAsync(Headings.NewPassword);
        await portal.NewPasswordField.PressSequentiallyAsync("abc");
        await check("New password", "typing");
        await portal.ChangePasswordAsync("harbor-lights-42");
        await Expect(portal.ErrorSummary).ToBeVisibleAsync();
        await check("New password", "error: rejected");
        await portal.ChangePasswordAsync(DemoUser.GoodPassword);
        await portal.ShouldBeOnAsync(Headings.Done);
        await check("Done", "first visit");

        await story.OpenPortalAsync();
        await portal.StartAsync(DemoUser.Pat.Login);
        await portal.ChooseAsync(Methods.Push);
        await portal.Button("Send push").ClickAsync();
        await portal.ShouldBeOnAsync(Headings.CheckYourPhone);
        await check("Push", "waiting");

        await portal.Link("Try another method").ClickAsync();
        await portal.Link("I can't use any of these").ClickAsync();
        await portal.ShouldBeOnAsync("Get help from your help desk");
        await check("Help", "first visit");

        await story.Page.GotoAsync(new Uri(story.Portal, "/reset/problem/superseded").ToString());
        await portal.ShouldBeOnAsync("This reset continues in another tab");
        await check("Problem", "replaced tab");
    }
}
