using MfaReset.Browser.Tests.Support;
using MfaReset.Testing;
using Microsoft.Playwright;
using static MfaReset.Browser.Tests.Pages.HelpDeskConsole;
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
    /// <summary>The console's audit events (HelpDeskAudit, 2400-2499).</summary>
    private static readonly Range ConsoleEvents = 2400..2500;

    [Theory, WithAndWithoutScripts]
    public Task AgentVerifiesALockedOutCallerByPushAndUnlocksThem(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, async story =>
        {
            var console = story.HelpDesk;
            var page = story.Page;
            await console.SignInAsync(Agents.Hana);
            await console.ShouldBeOnAsync(ConsoleHeadings.Start);
            await story.Axe.AssertNoSeriousViolationsAsync(page, "Help desk console", "signed in");

            await console.LookUpAsync(DemoUser.Liam);
            await story.Axe.AssertNoSeriousViolationsAsync(page, "Verify the caller", "methods");
            var number = await console.SendPushAsync();
            await story.Axe.AssertNoSeriousViolationsAsync(page, "Waiting for the caller's push", "number shown");
            await (await story.PhoneAsync()).TapNumberAsync(DemoUser.Liam.Name, number);
            if (story.Scripting == Scripting.Disabled)
            {
                await console.Button("Check now").ClickAsync();
            }

            await console.ShouldBeOnAsync(ConsoleHeadings.Person);
            await Expect(console.Fact("Status")).ToHaveTextAsync("Locked out");
            await story.Axe.AssertNoSeriousViolationsAsync(page, "Verified caller", "locked out");

            await console.Link("Unlock the account").ClickAsync();
            await console.ShouldBeOnAsync(ConsoleHeadings.Confirm);
            await story.Axe.AssertNoSeriousViolationsAsync(page, "Confirm", "unlock");
            await console.Button("Unlock").ClickAsync();

            await Expect(page.GetByText("The account is unlocked in Okta.")).ToBeVisibleAsync();
            await Expect(console.Fact("Status")).ToHaveTextAsync("Active");
            Assert.Equal("ACTIVE", await story.Org.StatusOfAsync(DemoUser.Liam.Login));
            AssertTheCallWasAudited(story);
        });

    [Fact]
    public Task AgentOutsideTheGroupIsRefused() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            await story.HelpDesk.SignInAsync(Agents.Olaf);

            await story.HelpDesk.ShouldBeOnAsync(ConsoleHeadings.Refused);
            await story.Axe.AssertNoSeriousViolationsAsync(story.Page, "You can't use the help desk console", "outside the group");
        });

    /// <summary>Each step of the call is an audit event naming the agent, the person, the method and the outcome.</summary>
    private void AssertTheCallWasAudited(Story story)
    {
        var events = story.PortalLogs.GetSnapshot()
            .Where(r => r.Id.Id >= ConsoleEvents.Start.Value && r.Id.Id < ConsoleEvents.End.Value)
            .ToList();
        foreach (var record in events)
        {
            output.WriteLine($"audit {record.Id.Id} {record.Id.Name}: {record.Message}");
        }

        const string Hana = "00uhelpdeskhana0demo";
        Assert.Contains(events, e => e.Id.Id == 2400 && e.Value("AgentId") == Hana);
        Assert.Contains(events, e => e.Id.Id == 2403 && e.Value("AgentId") == Hana && e.Value("Outcome") == "check-started");
        Assert.Contains(events, e => e.Id.Id == 2404 && e.Value("Method") == "OktaVerifyPush" && e.Value("Outcome") == "PushSent");
        Assert.Contains(events, e => e.Id.Id == 2404 && e.Value("Method") == "OktaVerifyPush" && e.Value("Outcome") == "Verified");
        Assert.Contains(events, e => e.Id.Id == 2405 && e.Value("Action") == "Unlock" && e.Value("Outcome") == "Done");
        var person = Assert.Single(events, e => e.Id.Id == 2405).Value("Person");
        Assert.All(events.Where(e => e.Id.Id is 2404 or 2405), e => Assert.Equal(person, e.Value("Person")));
        Assert.All(events.Where(e => e.Id.Id is 2403 or 2404 or 2405), e => Assert.Equal(Hana, e.Value("AgentId")));
    }
}
