using MfaReset.Browser.Tests.Pages;
using MfaReset.Browser.Tests.Stories;
using MfaReset.Browser.Tests.Support;
using Microsoft.Playwright;
using static MfaReset.Browser.Tests.Pages.HelpDeskConsole;
using static Microsoft.Playwright.Assertions;

namespace MfaReset.Browser.Tests.Screenshots;

/// <summary>
/// The help-desk console page by page (sign-in, start, verify, the push number, the verified caller with their
/// actions, a reference), each in the light and the dark scheme on a 1280 px desktop and a 375 px phone, and the
/// verified caller in German. Every view is checked as it is shot: axe-clean in the dark scheme, nothing wider
/// than the phone. With <c>MFARESET_CONSOLE_SCREENSHOTS</c> set to a folder each view is saved there (outside
/// the repository: the console's pictures are for the issue, not the README); without it nothing is written.
/// </summary>
[Collection(RealBrowserStories.Name)]
public sealed class ConsoleScreenshotTour(StoryFixture fixture, ITestOutputHelper output)
{
    private const int Desktop = 1280;
    private const int Phone = 375;

    private static readonly string? Folder = Environment.GetEnvironmentVariable("MFARESET_CONSOLE_SCREENSHOTS") is { Length: > 0 } folder ? folder : null;

    [Fact]
    public Task EveryConsolePageCanBePhotographedInBothSchemesOnADesktopAndAPhone() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            // A problem page's reference, from the caller's browser: a push they denied.
            var pat = DemoUser.Pat;
            var caller = await story.OpenAndChooseAsync(pat.Login, ResetPortal.Methods.Push);
            await caller.Button("Send push").ClickAsync();
            var phone = await story.PhoneAsync();
            await phone.DenyPushAsync(pat.Name);
            await caller.ShouldBeOnAsync(ResetPortal.Headings.PushDenied);
            var reference = await story.Page.Locator("p.hint code").TextContentAsync() ?? "";

            var page = await story.AnotherBrowserAsync("agent");
            var console = new HelpDeskConsole(page, story.Portal);
            await page.GotoAsync(new Uri(story.Portal, "/helpdesk").ToString());
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in as " + Agents.Hana })).ToBeVisibleAsync();
            await ShootEveryWayAsync(story, page, "01-sign-in");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in as " + Agents.Hana }).ClickAsync();
            await console.ShouldBeOnAsync(ConsoleHeadings.Start);
            await ShootEveryWayAsync(story, page, "02-start");

            var liam = DemoUser.Liam;
            await console.LookUpAsync(liam);
            await ShootEveryWayAsync(story, page, "03-verify");
            var number = await console.SendPushAsync();
            await ShootEveryWayAsync(story, page, "04-push-number");
            await phone.TapNumberAsync(liam.Name, number);
            await console.ShouldBeOnAsync(ConsoleHeadings.Person);
            await ShootEveryWayAsync(story, page, "05-verified-caller");

            await console.Link("Deutsch").ClickAsync();
            await console.ShouldBeOnAsync("Bestätigte anrufende Person");
            await ShootEveryWayAsync(story, page, "06-verified-caller-de");
            await console.Link("English").ClickAsync();
            await console.ShouldBeOnAsync(ConsoleHeadings.Person);

            await console.Link("Another caller").ClickAsync();
            await console.LookUpReferenceAsync(reference);
            await console.ShouldBeOnAsync($"{ConsoleHeadings.Reference} {reference}");
            await ShootEveryWayAsync(story, page, "07-reference");
        });

    /// <summary>
    /// The page as it is, light and dark on a desktop and a phone: axe-clean in the dark, no sideways scroll on the
    /// phone, saved when asked. The scheme and size change in place (no reload), so the page's state stays.
    /// </summary>
    private static async Task ShootEveryWayAsync(Story story, IPage page, string name)
    {
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await page.EmulateMediaAsync(new() { ColorScheme = scheme });
            foreach (var width in new[] { Desktop, Phone })
            {
                await page.SetViewportSizeAsync(width, 800);
                var wide = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
                Assert.True(wide <= width, $"{name} is {wide} px wide at {width} px.");
                if (Folder is { } folder)
                {
                    Directory.CreateDirectory(folder);
                    var file = $"{name}-{(scheme == ColorScheme.Dark ? "dark" : "light")}-{width}.png";
                    await page.ScreenshotAsync(new() { Path = Path.Combine(folder, file), FullPage = true });
                }
            }

            if (scheme == ColorScheme.Dark)
            {
                await story.Axe.AssertNoSeriousViolationsAsync(page, name, "dark scheme");
            }
        }

        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await page.SetViewportSizeAsync(Desktop, 800);
    }
}
