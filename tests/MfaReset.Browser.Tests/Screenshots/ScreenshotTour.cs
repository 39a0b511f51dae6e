using MfaReset.Browser.Tests.Stories;
using MfaReset.Browser.Tests.Support;
using MfaReset.Testing;
using Microsoft.Playwright;
using static MfaReset.Browser.Tests.Pages.ResetPortal;

namespace MfaReset.Browser.Tests.Screenshots;

/// <summary>
/// A reset by text message and the push page, page by page, in the light theme with the sandbox banner;
/// a 320 px phone and the dark scheme; and Spanish.
/// With <c>MFARESET_SCREENSHOTS=1</c> each page is saved to <c>docs/screenshots/</c> for the README;
/// without it the same journey runs and is asserted, and nothing is written.
/// </summary>
[Collection(RealBrowserStories.Name)]
public sealed class ScreenshotTour(StoryFixture fixture, ITestOutputHelper output)
{
    private static readonly bool Save = Environment.GetEnvironmentVariable("MFARESET_SCREENSHOTS") == "1";

    private static string Folder => Path.Combine(SharedPaths.RepositoryRoot, "docs", "screenshots");

    [Fact]
    public Task EveryPageOfTheFlowCanBePhotographed() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            var sam = DemoUser.Sam;
            var portal = await story.OpenPortalAsync();
            await portal.ShouldBeOnAsync(Headings.ForgotPassword);
            await ShootAsync(story.Page, "01-forgot-password");

            await portal.StartAsync(sam.Login);
            await ShootAsync(story.Page, "02-choose-method");

            await portal.ChooseAsync(Methods.Sms);
            await portal.ShouldBeOnAsync(Headings.GetSmsCode);
            await ShootAsync(story.Page, "03-send-code");

            await portal.Button("Send code").ClickAsync();
            await portal.ShouldBeOnAsync(Headings.EnterSentCode);
            await ShootAsync(story.Page, "04-enter-code");

            var phone = await story.PhoneAsync();
            await portal.EnterCodeAsync(await phone.ReadTextMessageCodeAsync(sam.Name));
            await portal.ShouldBeOnAsync(Headings.NewPassword);
            await ShootAsync(story.Page, "05-change-password");

            await portal.ChangePasswordAsync(DemoUser.GoodPassword);
            await portal.ShouldBeOnAsync(Headings.Done);
            await ShootAsync(story.Page, "06-done");

            // The push page and the phone it talks to.
            var pat = DemoUser.Pat;
            await story.OpenPortalAsync();
            await portal.StartAsync(pat.Login);
            await portal.ChooseAsync(Methods.Push);
            await portal.Button("Send push").ClickAsync();
            await portal.ShouldBeOnAsync(Headings.CheckYourPhone);
            var number = await portal.NumberToTapAsync();
            await ShootAsync(story.Page, "07-push-number");

            await phone.ShouldShowPushAsync(pat.Name);
            await ShootAsync(phone.PhoneOf(pat.Name), "08-phone-simulator-push");
            await phone.TapNumberAsync(pat.Name, number);
            await portal.ShouldBeOnAsync(Headings.NewPassword);
            await portal.NewPasswordField.PressSequentiallyAsync("harbor");
            await ShootAsync(story.Page, "09-password-rules-typing");

            await story.Page.GotoAsync(new Uri(story.Portal, "/help").ToString());
            await portal.ShouldBeOnAsync("Get help from your help desk");
            await ShootAsync(story.Page, "10-help");
        });

    [Fact]
    public Task PagesCanBePhotographedOnA320PixelPhoneAndInTheDarkScheme() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            var sam = DemoUser.Sam;
            await story.Page.SetViewportSizeAsync(320, 700);
            var portal = await story.OpenPortalAsync();
            await portal.StartAsync(sam.Login);
            await ShootAsync(story.Page, "11-phone-320-choose-method", fullPage: true);
            await portal.SendTextMessageCodeAsync();
            await ShootAsync(story.Page, "12-phone-320-enter-code", fullPage: true);

            await story.Page.SetViewportSizeAsync(1280, 800);
            await story.Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
            await story.Page.ReloadAsync();
            await portal.ShouldBeOnAsync(Headings.EnterSentCode);
            await ShootAsync(story.Page, "13-dark-enter-code");
            await story.Page.SetViewportSizeAsync(320, 700);
            await ShootAsync(story.Page, "14-dark-phone-320-enter-code", fullPage: true);
        });

    [Fact]
    public Task PagesCanBePhotographedInSpanish() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            var sam = DemoUser.Sam;
            var portal = await story.OpenPortalAsync();
            await portal.StartAsync(sam.Login);
            await portal.SendTextMessageCodeAsync();
            await portal.Link("Español").ClickAsync();
            await portal.ShouldBeOnAsync("Introduzca el código que le enviamos");
            await ShootAsync(story.Page, "19-spanish-enter-code");

            await story.Page.SetViewportSizeAsync(320, 700);
            await story.Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
            await portal.Link("Probar otro método").ClickAsync();
            await portal.ShouldBeOnAsync("Confirme su identidad");
            await ShootAsync(story.Page, "20-spanish-dark-phone-320-choose-method", fullPage: true);
        });

    internal static async Task ShootAsync(IPage page, string name, bool fullPage = false)
    {
        if (Save)
        {
            Directory.CreateDirectory(Folder);
            await page.ScreenshotAsync(new() { Path = Path.Combine(Folder, $"{name}.png"), FullPage = fullPage });
        }
    }

    internal static async Task ShootAsync(ILocator part, string name)
    {
        if (Save)
        {
            Directory.CreateDirectory(Folder);
            await part.ScreenshotAsync(new() { Path = Path.Combine(Folder, $"{name}.png") });
        }
    }
}
