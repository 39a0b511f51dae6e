using MfaReset.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static MfaReset.Browser.Tests.Pages.ResetPortal;
using static Microsoft.Playwright.Assertions;

namespace MfaReset.Browser.Tests.Stories;

/// <summary>A helpdesk demo that doesn't break: the simulator's stable address, and "Reset everything" resetting the portal too.</summary>
[Collection(RealBrowserStories.Name)]
public sealed class DemoStories(StoryFixture fixture, ITestOutputHelper output)
{
    [Theory, WithAndWithoutScripts]
    public Task ResetEverythingOnTheSimulatorStartsTheDemoAfreshInThePortalToo(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, async story =>
        {
            var sam = DemoUser.Sam;
            var portal = await story.OpenPortalAsync();
            await portal.StartAsync(sam.Login);
            await portal.SendTextMessageCodeAsync();

            // The simulator by its stable name on the portal; its reset form posts under a no-referrer policy.
            var phone = await story.PhoneAsync();
            await phone.Page.GotoAsync(new Uri(story.Portal, "/sandbox/phone").ToString());
            await phone.Page.GetByRole(AriaRole.Button, new() { Name = "Reset everything to the seed state" }).ClickAsync();
            await phone.ShouldSayAsync("Sandbox reset to its seed state.");
            Assert.StartsWith(story.PhoneSimulator.GetLeftPart(UriPartial.Path), phone.Page.Url, StringComparison.Ordinal);
            await phone.ShouldShowNoMessagesAsync(sam.Name);

            await portal.Page.ReloadAsync();
            await portal.ShouldBeOnAsync("Please start again");
            await portal.Page.GotoAsync(story.Portal.ToString());
            await portal.StartAsync(sam.Login);
            await portal.SendTextMessageCodeAsync(); // no cooldown or limit left from before the reset
        });
}
