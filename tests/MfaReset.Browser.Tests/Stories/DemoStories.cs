using System.Text.RegularExpressions;
using MfaReset.Browser.Tests.Pages;
using MfaReset.Browser.Tests.Screenshots;
using MfaReset.Browser.Tests.Support;
using MfaReset.Okta.Sandbox;
using static MfaReset.Browser.Tests.Pages.ResetPortal;
using static Microsoft.Playwright.Assertions;

namespace MfaReset.Browser.Tests.Stories;

/// <summary>
/// A help-desk demo a trainer can run back to back: the simulator's stable address, "Reset everything" at the
/// top (asked first, sent once) resetting the portal too, embedded or standalone, and what happened to each user.
/// </summary>
[Collection(StoriesThatWaitOutOktasPauses.Name)]
public sealed class DemoStories(StoryFixture fixture, ITestOutputHelper output)
{
    [Theory, WithAndWithoutScripts]
    public Task ResetEverythingAtTheTopAsksFirstPostsOnceAndStartsTheDemoAfreshInThePortalToo(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, async story =>
        {
            var sam = DemoUser.Sam;
            var portal = await story.OpenPortalAsync();
            await portal.StartAsync(sam.Login);
            await portal.SendTextMessageCodeAsync();

            // The simulator by its stable name on the portal; its reset form posts under a no-referrer policy.
            var phone = await story.PhoneAsync();
            await phone.Page.GotoAsync(new Uri(story.Portal, "/sandbox/phone").ToString());
            var resetPosts = 0;
            phone.Page.Request += (_, request) => resetPosts += request.Method == "POST" && request.Url.EndsWith("/simulator/reset", StringComparison.Ordinal) ? 1 : 0;

            await Expect(phone.ConfirmResetEverything).Not.ToBeVisibleAsync(); // asked first
            var reset = (await phone.ResetEverything.BoundingBoxAsync())!;
            var firstPhone = (await phone.PhoneOf(sam.Name).BoundingBoxAsync())!;
            Assert.True(reset.Y + reset.Height < firstPhone.Y, "Reset everything sits above the phones.");
            Assert.True(reset.Y < 800, "Reset everything is on the first screen.");
            await phone.ResetEverythingAsync();

            await phone.ShouldSayAsync("Everything was reset: the demo users are back to their seed state, and the portal's flows, limits and pauses were cleared.");
            await phone.ShouldShowNoMessagesAsync(sam.Name);
            Assert.StartsWith(story.PhoneSimulator.GetLeftPart(UriPartial.Path), phone.Page.Url, StringComparison.Ordinal);
            Assert.Equal(1, resetPosts);
            Assert.Equal("notice", await phone.Page.EvaluateAsync<string>("() => document.activeElement.className")); // landed on what happened

            await portal.Page.ReloadAsync();
            await portal.ShouldBeOnAsync("Please start again");
            await portal.Page.GotoAsync(story.Portal.ToString());
            await portal.StartAsync(sam.Login);
            await portal.SendTextMessageCodeAsync(); // no cooldown or limit left from before the reset
        });

    [Fact]
    public async Task ThePortalOnTheStandaloneSandboxLinksItsSimulatorAndItsResetClearsThePortalsHolds()
    {
        await using var sandbox = await OktaSandbox.StartAsync(new SandboxOptions(), cancellationToken: TestContext.Current.CancellationToken);
        var settings = new Dictionary<string, string?>
        {
            ["Okta:OrgUrl"] = sandbox.BaseUrl.GetLeftPart(UriPartial.Authority),
            ["Okta:ApiToken"] = sandbox.ApiToken,
            ["Sandbox:Enabled"] = "true",
        };
        await fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            var sam = DemoUser.Sam;
            var portal = await story.OpenPortalAsync();
            await Expect(portal.Link("Open the phone simulator")).ToHaveAttributeAsync("href", "/sandbox/phone");
            // The portal listens for resets from its start; once it has reported one, it is listening.
            while (!await sandbox.Control.PortalClearedAsync(sandbox.Control.Reset(), TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken))
            {
                await Task.Delay(100);
            }

            await portal.StartAsync(sam.Login);
            await portal.SendTextMessageCodeAsync();
            var phone = await story.PhoneAsync();
            await phone.Page.GotoAsync(new Uri(story.Portal, "/sandbox/phone").ToString());
            Assert.StartsWith(sandbox.PhoneSimulatorUrl.ToString(), phone.Page.Url, StringComparison.Ordinal);
            await phone.ResetEverythingAsync();

            await phone.ShouldSayAsync("Everything was reset: the demo users are back to their seed state, and the portal's flows, limits and pauses were cleared.");
            await portal.Page.ReloadAsync();
            await portal.ShouldBeOnAsync("Please start again");
            await portal.Page.GotoAsync(story.Portal.ToString());
            await portal.StartAsync(sam.Login);
            await portal.SendTextMessageCodeAsync(); // no pause left from before the reset
        }, settings);
    }

    [Fact]
    public Task EachPhoneSaysWhatHappenedShowsOnlyItsSwitchesAndFitsA320PixelScreenInTheTrainersZone() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            var (pat, tom, sam) = (DemoUser.Pat, DemoUser.Tom, DemoUser.Sam);
            var portal = await story.OpenPortalAsync();
            var phone = await story.PhoneAsync();
            await portal.StartAsync(pat.Login);
            await portal.ChooseAsync(Methods.Push);
            await portal.Button("Send push").ClickAsync();
            await phone.DenyPushAsync(pat.Name);
            await Expect(phone.HistoryOf(pat.Name)).ToHaveTextAsync([new Regex(@"^Last push, sent at .+: denied\.$")]);

            await portal.Page.GotoAsync(story.Portal.ToString());
            await portal.StartAsync(tom.Login);
            await portal.ChooseAsync(Methods.OktaVerifyCode);
            await portal.EnterCodeAsync(await phone.ReadAuthenticatorCodeAsync(tom.Name));
            await portal.ChangePasswordAsync(DemoUser.GoodPassword);
            await portal.ShouldBeOnAsync(Headings.Done);
            await Expect(phone.HistoryOf(tom.Name)).ToHaveTextAsync([new Regex("^Password changed at "), new Regex("^Sessions ended at ")]);

            // Switches that cannot apply are not offered: Sam has no push to script.
            await Expect(phone.PhoneOf(sam.Name).GetByLabel("Next push")).ToHaveCountAsync(0);
            await Expect(phone.PhoneOf(pat.Name).GetByLabel("Next push")).ToBeVisibleAsync();
            await ScreenshotTour.ShootAsync(phone.Page, "21-phone-simulator-trainer");
            await story.Axe.AssertNoSeriousViolationsAsync(phone.Page, "Phone simulator", "after a reset, a push and a push denied");

            // A trainer's phone in Tokyo, 320 px wide: nothing scrolls sideways; times in its zone, UTC on hover.
            var small = await story.PhoneOfWidthAsync(320, "Asia/Tokyo");
            await Expect(small.HistoryOf(tom.Name)).ToHaveCountAsync(2);
            Assert.True(await small.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "The simulator scrolls sideways at 320 px.");
            var time = small.HistoryOf(tom.Name).First.Locator("time");
            await Expect(time).ToHaveAttributeAsync("title", new Regex(@"^\d\d:\d\d:\d\d UTC$"));
            await Expect(time).ToHaveTextAsync(new Regex(@"GMT\+9$"));
            await ScreenshotTour.ShootAsync(small.Page, "22-phone-simulator-320");
            await small.ResetEverything.ClickAsync();
            await story.Axe.AssertNoSeriousViolationsAsync(small.Page, "Phone simulator", "320 px, reset asked for");
        });

    /// <summary>The README's "A trainer's 10-minute demo", step by step, twice with "Reset everything" between.</summary>
    [Fact]
    public Task TheTrainersTenMinuteDemoRunsBackToBack() =>
        fixture.PlayAsync(output, Scripting.Enabled, settings: new Dictionary<string, string?> { ["Sandbox:AllMethods"] = "true" }, story: async story =>
        {
            var portal = await story.OpenPortalAsync();
            var phone = await story.PhoneAsync();
            for (var run = 1; run <= 2; run++)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                await phone.ResetEverythingAsync(); // 1. start clean
                await phone.ShouldSayAsync("Everything was reset");
                await TrainersDemoAsync(story, portal, phone);
                output.WriteLine($"Run {run} of the trainer's demo: {clock.Elapsed.TotalSeconds:0.0} s");
            }
        });

    private static async Task TrainersDemoAsync(Story story, ResetPortal portal, PhoneSimulator phone)
    {
        var (sam, pat, max, emma, liam, gail) = (DemoUser.Sam, DemoUser.Pat, DemoUser.Max, DemoUser.Emma, DemoUser.Liam, DemoUser.Gail);
        async Task StartOverAsync() => await portal.Page.GotoAsync(story.Portal.ToString());

        // 2. A text message.
        await StartOverAsync();
        await portal.StartAsync(sam.Login);
        await portal.SendTextMessageCodeAsync();
        await portal.EnterCodeAsync(await phone.ReadTextMessageCodeAsync(sam.Name));
        await portal.ChangePasswordAsync(DemoUser.GoodPassword);
        await portal.ShouldBeOnAsync(Headings.Done);
        await Expect(phone.HistoryOf(sam.Name)).ToHaveTextAsync([new Regex("^Password changed at "), new Regex("^Sessions ended at ")]);

        // 3. A push, the wrong number.
        await StartOverAsync();
        await portal.StartAsync(pat.Login);
        await portal.ChooseAsync(Methods.Push);
        await portal.Button("Send push").ClickAsync();
        await phone.TapAnotherNumberAsync(pat.Name, await portal.NumberToTapAsync());
        await portal.ShouldBeOnAsync(Headings.PushDenied);
        await Expect(phone.HistoryOf(pat.Name)).ToHaveTextAsync([new Regex("rejected, the wrong number was picked\\.$")]);

        // 4. A trainer switch: Max's next push is approved at once; Sam has no push switch.
        await phone.SetSwitchAsync(max.Name, "Next push", "Approve at once");
        await Expect(phone.PhoneOf(sam.Name).GetByLabel("Next push")).ToHaveCountAsync(0);
        await StartOverAsync();
        await portal.StartAsync(max.Login);
        await portal.ChooseAsync(Methods.Push);
        await portal.Button("Send push").ClickAsync();
        await portal.ChangePasswordAsync(DemoUser.GoodPassword);
        await portal.ShouldBeOnAsync(Headings.Done);

        // 5. An email.
        await StartOverAsync();
        await portal.StartAsync(emma.Login);
        await portal.ChooseAsync(Methods.Email);
        await portal.Button("Send code").ClickAsync();
        await portal.EnterCodeAsync(await phone.ReadEmailCodeAsync(emma.Name));
        await portal.ChangePasswordAsync(DemoUser.GoodPassword);
        await portal.ShouldBeOnAsync(Headings.Done);

        // 6. Unlock.
        await StartOverAsync();
        await portal.Link("Unlock my account").ClickAsync();
        await portal.StartUnlockAsync(liam.Login);
        await portal.SendTextMessageCodeAsync();
        await portal.EnterCodeAsync(await phone.ReadTextMessageCodeAsync(liam.Name));
        await portal.ShouldBeOnAsync(Headings.Unlocked);
        await phone.ShouldShowStatusAsync(liam.Name, "ACTIVE");

        // 7. Nobody is revealed.
        await StartOverAsync();
        await portal.StartAsync("nora.nofactors@example.com");
        await portal.SendTextMessageCodeAsync();

        // 8. Okta trouble: Gail's next Okta call fails with a 500, the try after it works.
        await StartOverAsync();
        await portal.StartAsync(gail.Login);
        await portal.ChooseAsync(Methods.GoogleAuthenticator);
        await phone.SetSwitchAsync(gail.Name, "Next Okta call about this user", "500 Internal Server Error");
        await portal.EnterCodeAsync(await phone.ReadAuthenticatorCodeAsync(gail.Name));
        await portal.ShouldBeOnAsync("The service is temporarily unavailable");
        await StartOverAsync();
        await portal.StartAsync(gail.Login);
        await portal.ChooseAsync(Methods.GoogleAuthenticator);
        await portal.ShouldBeOnAsync(Headings.EnterGoogleAuthenticatorCode);
    }
}
