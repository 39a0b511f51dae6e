using MfaReset.Browser.Tests.Pages;
using MfaReset.Browser.Tests.Support;
using Microsoft.Playwright;
using static MfaReset.Browser.Tests.Pages.HelpDeskConsole;
using static MfaReset.Browser.Tests.Pages.ResetPortal;
using static Microsoft.Playwright.Assertions;

namespace MfaReset.Browser.Tests.Stories;

/// <summary>
/// The agent's calls, each opening the same way (Hana signs in and looks the caller up): a push the caller denies
/// or answers with the wrong number, a text-message code read back wrong and then right, a verification pause the
/// caller hit on the portal lifted so the caller can go on, and a problem page's reference looked up. A check that
/// fails opens nothing of the person's.
/// </summary>
[Collection(RealBrowserStories.Name)]
public sealed class HelpDeskCallerStories(StoryFixture fixture, ITestOutputHelper output)
{
    /// <summary>How the caller answers the push on their phone.</summary>
    public enum PushAnswer
    {
        Deny,
        TapAnotherNumber,
    }

    [Theory]
    [InlineData(PushAnswer.Deny)]
    [InlineData(PushAnswer.TapAnotherNumber)]
    public Task CallerWhoDeniesThePushOrTapsAnotherNumberIsNotVerified(PushAnswer answer) =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            var pat = DemoUser.Pat;
            var console = story.HelpDesk;
            await console.SignInAndLookUpAsync(pat);
            var shown = await console.SendPushAsync();

            var phone = await story.PhoneAsync();
            await (answer == PushAnswer.Deny ? phone.DenyPushAsync(pat.Name) : phone.TapAnotherNumberAsync(pat.Name, shown));

            await ShouldSayNotVerifiedAsync(story, PushNotApproved);
        },
        name: $"{nameof(CallerWhoDeniesThePushOrTapsAnotherNumberIsNotVerified)}-{answer}");

    [Fact]
    public Task CallerReadsBackTheTextMessageCodeAfterAWrongOne() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            var sam = DemoUser.Sam;
            var console = story.HelpDesk;
            await console.SignInAndLookUpAsync(sam);
            await console.SendAsync(Methods.Sms);
            await console.ShouldBeOnAsync(ConsoleHeadings.Code);
            await story.Axe.AssertNoSeriousViolationsAsync(story.Page, "Enter the caller's code", "code sent");
            var code = await (await story.PhoneAsync()).ReadTextMessageCodeAsync(sam.Name);

            await console.EnterCodeAsync(CodeStories.WrongCode(code));
            await console.ShouldBeOnAsync(ConsoleHeadings.Code);
            await Expect(console.Notice).ToHaveTextAsync("Not verified: wrong code. Attempts left: 2");
            await story.Axe.AssertNoSeriousViolationsAsync(story.Page, "Enter the caller's code", "wrong code");

            await console.EnterCodeAsync(code);
            await console.ShouldBeOnAsync(ConsoleHeadings.Person);
            await Expect(console.Notice.First).ToHaveTextAsync($"Verified: {sam.Login} confirmed it's them. Method: Text message (SMS).");
        });

    [Fact]
    public Task AgentLiftsThePauseTheCallerHitAndTheCallerCanVerifyAgain() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            var max = DemoUser.Max;
            var phone = await story.PhoneAsync();
            var portal = story.Reset;
            await PauseCodesOnThePortalAsync(story, phone, max);

            var console = new HelpDeskConsole(await story.AnotherBrowserAsync("agent"), story.Portal);
            await console.SignInAndLookUpAsync(max);
            await phone.TapNumberAsync(max.Name, await console.SendPushAsync());
            await console.ShouldBeOnAsync(ConsoleHeadings.Person);
            await Expect(console.Fact("Verification pause")).ToContainTextAsync("On until");
            await story.Axe.AssertNoSeriousViolationsAsync(console.Page, "Verified caller", "pause on");

            await console.ActAsync("Lift the verification pause", "Lift the pause");
            await Expect(console.Notice.Nth(1)).ToHaveTextAsync(
                "The verification pause is lifted. A push works now; codes can stay refused until this person's recent wrong codes are more than 15 minutes old.");
            await Expect(console.Fact("Verification pause")).ToHaveTextAsync("Off");

            // What the agent tells the caller works: a push, now.
            await portal.Link("Start again").ClickAsync();
            await portal.StartAsync(max.Login);
            await portal.ChooseAsync(Methods.Push);
            await portal.Button("Send push").ClickAsync();
            await phone.TapNumberAsync(max.Name, await portal.NumberToTapAsync());
            await portal.ShouldBeOnAsync(ResetPortal.Headings.NewPassword);
        });

    [Fact]
    public Task ReferenceFromTheCallersProblemPageShowsWhatHappenedInTheirFlow() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            var pat = DemoUser.Pat;
            var portal = await story.OpenAndChooseAsync(pat.Login, Methods.Push);
            await portal.Button("Send push").ClickAsync();
            await (await story.PhoneAsync()).DenyPushAsync(pat.Name);
            await portal.ShouldBeOnAsync(ResetPortal.Headings.PushDenied);
            var reference = await story.Page.Locator("p.hint code").TextContentAsync() ?? "";

            var console = new HelpDeskConsole(await story.AnotherBrowserAsync("agent"), story.Portal);
            await console.SignInAsync(Agents.Hana);
            await console.LookUpReferenceAsync(reference);

            await console.ShouldBeOnAsync($"{ConsoleHeadings.Reference} {reference}");
            await Expect(console.Fact("Problem shown")).ToHaveTextAsync("push-rejected");
            var flow = console.Page.GetByRole(AriaRole.Row).Filter(new() { HasTextString = "Ended: push-rejected" });
            await Expect(flow).ToContainTextAsync("Okta Verify push");
            await story.Axe.AssertNoSeriousViolationsAsync(console.Page, "Reference", "found with its flow");
        });

    /// <summary>The verify page says why and offers to check the caller again; the person's record stays closed.</summary>
    private static async Task ShouldSayNotVerifiedAsync(Story story, string why)
    {
        var console = story.HelpDesk;
        await console.ShouldBeOnAsync(ConsoleHeadings.Verify);
        await Expect(console.Notice).ToHaveTextAsync(why);
        await Expect(console.Button("Check this caller again")).ToBeVisibleAsync();
        await story.Axe.AssertNoSeriousViolationsAsync(story.Page, "Verify the caller", "not verified");

        // The ended check opens nothing: the record's address leads back to the start.
        await story.Page.GotoAsync(new Uri(story.Portal, "/helpdesk/person").ToString());
        await console.ShouldBeOnAsync(ConsoleHeadings.Start);
        await Expect(console.Notice).ToHaveTextAsync("That check has ended. Start again with the caller's username.");
    }

    /// <summary>
    /// Someone types wrong Okta Verify codes for <paramref name="person"/> on the portal until codes are paused
    /// (three in one flow, two in the next), and the portal says so.
    /// </summary>
    private static async Task PauseCodesOnThePortalAsync(Story story, PhoneSimulator phone, DemoUser person)
    {
        var wrong = await phone.CodeNoAppShowsAsync(person.Name);
        var portal = await story.OpenAndChooseAsync(person.Login, Methods.OktaVerifyCode);
        for (var i = 0; i < 3; i++)
        {
            await portal.EnterCodeAsync(wrong);
        }

        await portal.ShouldBeOnAsync("Too many attempts");
        await portal.Link("Start again").ClickAsync();
        await portal.StartAsync(person.Login);
        await portal.ChooseAsync(Methods.OktaVerifyCode);
        await portal.EnterCodeAsync(wrong);
        await portal.EnterCodeAsync(wrong);
        await portal.ShouldBeOnAsync("Codes are paused for your account");
    }
}
