using System.Globalization;
using MfaReset.Browser.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MfaReset.Browser.Tests.Stories;

/// <summary>
/// The help-desk console in Chromium: an agent signs in at the (sandbox's) Okta, verifies a caller by push and
/// unlocks them; an agent outside the help-desk group is refused. With scripts the push page follows the push
/// by itself; without them the agent presses "Check now". Every console page is checked with axe.
/// </summary>
[Collection(RealBrowserStories.Name)]
public sealed class HelpDeskStories(StoryFixture fixture, ITestOutputHelper output)
{
    [Theory, WithAndWithoutScripts]
    public Task AgentVerifiesALockedOutCallerByPushAndUnlocksThem(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, async story =>
        {
            var page = story.Page;
            await SignInAsync(story, "Hana Agent");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Help desk console" })).ToBeVisibleAsync();
            await story.Axe.AssertNoSeriousViolationsAsync(page, "Help desk console", "signed in");

            await page.GetByLabel("Caller's username").FillAsync(DemoUser.Liam.Login);
            await page.GetByRole(AriaRole.Button, new() { Name = "Look up and verify" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Verify the caller" })).ToBeVisibleAsync();
            await story.Axe.AssertNoSeriousViolationsAsync(page, "Verify the caller", "methods");
            await page.GetByLabel("Okta Verify push notification").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();

            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Waiting for the caller's push" })).ToBeVisibleAsync();
            await story.Axe.AssertNoSeriousViolationsAsync(page, "Waiting for the caller's push", "number shown");
            var number = int.Parse(await page.Locator("[data-push-number]").TextContentAsync() ?? "", CultureInfo.InvariantCulture);
            await (await story.PhoneAsync()).TapNumberAsync(DemoUser.Liam.Name, number);
            if (story.Scripting == Scripting.Disabled)
            {
                await page.GetByRole(AriaRole.Button, new() { Name = "Check now" }).ClickAsync();
            }

            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Verified caller" })).ToBeVisibleAsync();
            await Expect(page.Locator("dl.facts").First).ToContainTextAsync("Locked out");
            await story.Axe.AssertNoSeriousViolationsAsync(page, "Verified caller", "locked out");

            await page.GetByRole(AriaRole.Link, new() { Name = "Unlock the account" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Confirm" })).ToBeVisibleAsync();
            await story.Axe.AssertNoSeriousViolationsAsync(page, "Confirm", "unlock");
            await page.GetByRole(AriaRole.Button, new() { Name = "Unlock", Exact = true }).ClickAsync();

            await Expect(page.GetByText("The account is unlocked in Okta.")).ToBeVisibleAsync();
            await Expect(page.Locator("dl.facts").First).ToContainTextAsync("Active");
        });

    [Fact]
    public Task AgentOutsideTheGroupIsRefused() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            await SignInAsync(story, "Olaf Outsider");

            await Expect(story.Page.GetByRole(AriaRole.Heading, new() { Name = "You can't use the help desk console" })).ToBeVisibleAsync();
            await story.Axe.AssertNoSeriousViolationsAsync(story.Page, "You can't use the help desk console", "outside the group");
        });

    private static async Task SignInAsync(Story story, string agent)
    {
        await story.Page.GotoAsync(new Uri(story.Portal, "/helpdesk").ToString());
        await story.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in as " + agent }).ClickAsync();
    }
}
