using MfaReset.Browser.Tests.Pages;
using MfaReset.Browser.Tests.Stories;
using MfaReset.Browser.Tests.Support;
using static MfaReset.Browser.Tests.Pages.ResetPortal;
using static Microsoft.Playwright.Assertions;

namespace MfaReset.Browser.Tests.Accessibility;

/// <summary>
/// axe-core on every page of the flow, as a person first sees it and after something went wrong, with
/// scripts on and off: no <c>serious</c> or <c>critical</c> violation anywhere. The run's table of
/// results is written to <c>axe-summary.md</c> in the test output folder.
/// </summary>
[Collection(RealBrowserStories.Name)]
public sealed class AccessibilityTests(StoryFixture fixture, ITestOutputHelper output)
{
    [Theory, WithAndWithoutScripts]
    public Task CodeJourneyPagesHaveNoSeriousViolations(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, async story =>
        {
            var sam = DemoUser.Sam;
            var portal = await story.OpenPortalAsync();
            await CheckAsync(story, "Forgot password", "first visit");
            await portal.Button("Continue").ClickAsync();
            await Expect(portal.ErrorSummary).ToContainTextAsync("Enter your username or email.");
            await CheckAsync(story, "Forgot password", "error: no username");

            await portal.StartAsync(sam.Login);
            await CheckAsync(story, "Choose method", "first visit");
            await portal.Button("Continue").ClickAsync();
            await Expect(portal.ErrorSummary).ToContainTextAsync("Choose how you want to confirm it's you.");
            await CheckAsync(story, "Choose method", "error: nothing chosen");

            await portal.ChooseAsync(Methods.Sms);
            await portal.ShouldBeOnAsync(Headings.GetSmsCode);
            await CheckAsync(story, "Send code", "first visit");
            await portal.Button("Send code").ClickAsync();
            await portal.ShouldBeOnAsync(Headings.EnterSentCode);
            await CheckAsync(story, "Enter code", "first visit");
            var code = await (await story.PhoneAsync()).ReadTextMessageCodeAsync(sam.Name);
            await portal.EnterCodeAsync(CodeStories.WrongCode(code));
            await Expect(portal.ErrorSummary).ToContainTextAsync("That code didn't work.");
            await CheckAsync(story, "Enter code", "error: wrong code");

            await portal.EnterCodeAsync(code);
            await portal.ShouldBeOnAsync(Headings.NewPassword);
            await CheckAsync(story, "Change password", "first visit");
            await portal.ChangePasswordAsync(DemoUser.GoodPassword, "Harbor-Lights-43");
            await Expect(portal.ErrorSummary).ToContainTextAsync("The passwords don't match.");
            await CheckAsync(story, "Change password", "error: passwords differ");
            await portal.ChangePasswordAsync("harbor-lights-42");
            await Expect(portal.ErrorSummary).ToContainTextAsync("This password doesn't follow every rule.");
            await CheckAsync(story, "Change password", "error: refused by policy");

            await portal.ChangePasswordAsync(DemoUser.GoodPassword);
            await portal.ShouldBeOnAsync(Headings.Done);
            await CheckAsync(story, "Done", "first visit");
        });

    [Theory, WithAndWithoutScripts]
    public Task PushPagesHaveNoSeriousViolations(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, async story =>
        {
            var pat = DemoUser.Pat;
            var portal = await story.OpenAndChooseAsync(pat.Login, Methods.Push);
            await portal.ShouldBeOnAsync(Headings.GetPush);
            await CheckAsync(story, "Push", "first visit");
            await portal.Button("Send push").ClickAsync();
            await portal.ShouldBeOnAsync(Headings.CheckYourPhone);
            await portal.NumberToTapAsync();
            await CheckAsync(story, "Push", "waiting, number shown");
            var phone = await story.PhoneAsync();
            await phone.ShouldShowPushAsync(pat.Name);
            await story.Axe.AssertNoSeriousViolationsAsync(phone.Page, "Phone simulator", "push waiting");

            if (scripting == Scripting.Disabled)
            {
                await portal.Button("I've approved it").ClickAsync();
                await Expect(portal.NotApprovedYet).ToBeVisibleAsync();
                await CheckAsync(story, "Push", "error: not approved yet");
            }

            await phone.DenyPushAsync(pat.Name);
            if (scripting == Scripting.Disabled)
            {
                await portal.PressIveApprovedItAsync(Headings.PushDenied);
            }

            await portal.ShouldBeOnAsync(Headings.PushDenied);
            await CheckAsync(story, "Problem", "error: push denied");
        });

    [Theory, WithAndWithoutScripts]
    public Task ExpiredPushPageHasNoSeriousViolations(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, settings: PortalSettings.ShortPushLifetime, story: async story =>
        {
            var portal = await story.OpenAndChooseAsync(DemoUser.Pat.Login, Methods.Push);
            await portal.Button("Send push").ClickAsync();
            if (scripting == Scripting.Disabled)
            {
                // The push exists once this page shows; only then does "no push waiting" mean it expired.
                await portal.ShouldBeOnAsync(Headings.CheckYourPhone);
                await (await story.PhoneAsync()).ShouldShowNoPushAsync(DemoUser.Pat.Name);
                await portal.PressIveApprovedItAsync(Headings.PushExpired);
            }

            await portal.ShouldBeOnAsync(Headings.PushExpired);
            await CheckAsync(story, "Push", "error: expired");
        });

    [Theory, WithAndWithoutScripts]
    public Task LimitAndErrorPagesHaveNoSeriousViolations(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, async story =>
        {
            var portal = await story.OpenAndChooseAsync("nobody.here@example.com", Methods.OktaVerifyCode);
            await portal.ShouldBeOnAsync(Headings.EnterOktaVerifyCode);
            for (var attempt = 0; attempt < 3; attempt++)
            {
                await portal.EnterCodeAsync("123456");
            }

            await portal.ShouldBeOnAsync("Too many attempts");
            await CheckAsync(story, "Problem", "error: too many attempts");

            await story.Page.GotoAsync(new Uri(story.Portal, "/no/such/page").ToString());
            await Expect(portal.Link("Start again")).ToBeVisibleAsync();
            await CheckAsync(story, "Error page", "error: not found");

            var phone = await story.PhoneAsync();
            await story.Axe.AssertNoSeriousViolationsAsync(phone.Page, "Phone simulator", "first visit");
        });

    private static Task CheckAsync(Story story, string page, string state) =>
        story.Axe.AssertNoSeriousViolationsAsync(story.Page, page, state);
}
