using MfaReset.Browser.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MfaReset.Browser.Tests;

/// <summary>
/// The stories trust three things about their harness: a browser without scripts really runs none
/// (even after an accessibility check switched them on for a moment), the accessibility check really
/// fails on a serious problem, and the keyboard helper really insists on a visible focus.
/// </summary>
[Collection(RealBrowserStories.Name)]
public sealed class HarnessTests(StoryFixture fixture, ITestOutputHelper output)
{
    private const string Origin = "http://harness.test";

    private const string PageWithScript = """
        <!doctype html><html lang="en"><head><title>Harness</title></head><body><main>
        <h1>Harness</h1>
        <p id="status">Scripts did not run</p>
        <script>document.getElementById('status').textContent = 'Scripts ran';</script>
        <noscript><button>I've approved it</button></noscript>
        <button style="outline: none">Hidden focus</button>
        <img src="/logo.png">
        </main></body></html>
        """;

    [Fact]
    public Task BrowserWithoutScriptsRunsNoneBeforeOrAfterAnAccessibilityCheck() =>
        fixture.PlayAsync(output, Scripting.Disabled, async story =>
        {
            await ServeAsync(story.Page, PageWithScript);

            await story.Page.GotoAsync($"{Origin}/first");
            await Expect(story.Page.GetByText("Scripts did not run")).ToBeVisibleAsync();
            await Expect(story.Page.GetByRole(AriaRole.Button, new() { Name = "I've approved it" })).ToBeVisibleAsync();

            var axe = await Assert.ThrowsAnyAsync<Exception>(() => story.Axe.AssertNoSeriousViolationsAsync(story.Page, "Harness test page (broken on purpose)", "image without text"));
            Assert.Contains("image-alt", axe.Message, StringComparison.Ordinal);

            await story.Page.GotoAsync($"{Origin}/second");
            await Expect(story.Page.GetByText("Scripts did not run")).ToBeVisibleAsync();
            await Expect(story.Page.GetByRole(AriaRole.Button, new() { Name = "I've approved it" })).ToBeVisibleAsync();
        });

    [Fact]
    public Task AccessibilityCheckNamesTheRuleAndElementAndKeyboardInsistsOnVisibleFocus() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            await ServeAsync(story.Page, PageWithScript);
            await story.Page.GotoAsync($"{Origin}/first");
            await Expect(story.Page.GetByText("Scripts ran")).ToBeVisibleAsync();

            var axe = await Assert.ThrowsAnyAsync<Exception>(() => story.Axe.AssertNoSeriousViolationsAsync(story.Page, "Harness test page (broken on purpose)", "image without text"));
            Assert.Contains("image-alt", axe.Message, StringComparison.Ordinal);
            Assert.Contains("<img src=\"/logo.png\">", axe.Message, StringComparison.Ordinal);

            var focus = await Assert.ThrowsAnyAsync<Exception>(() => story.Keyboard.TabToAsync(story.Page.GetByRole(AriaRole.Button, new() { Name = "Hidden focus" })));
            Assert.Contains("nothing shows it", focus.Message, StringComparison.Ordinal);
        });

    private static async Task ServeAsync(IPage page, string html) =>
        await page.RouteAsync($"{Origin}/**", route => route.Request.ResourceType == "document"
            ? route.FulfillAsync(new() { ContentType = "text/html; charset=utf-8", Body = html })
            : route.FulfillAsync(new() { Status = 404 }));
}
