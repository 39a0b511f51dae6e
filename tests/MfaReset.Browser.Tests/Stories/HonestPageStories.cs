using MfaReset.Browser.Tests.Pages;
using MfaReset.Browser.Tests.Support;
using Microsoft.Playwright;
using static MfaReset.Browser.Tests.Pages.ResetPortal;
using static Microsoft.Playwright.Assertions;

namespace MfaReset.Browser.Tests.Stories;

/// <summary>The pages say what happened and what is left: held-back sends, time left, password rules, a replaced tab, the way back after success.</summary>
[Collection(RealBrowserStories.Name)]
public sealed class HonestPageStories(StoryFixture fixture, ITestOutputHelper output)
{
    [Theory, WithAndWithoutScripts]
    public Task SendPushDuringThePauseCountsDownWithScriptsAndSpendsNothingWithout(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, async story =>
        {
            var pat = DemoUser.Pat;
            var portal = await story.OpenAndChooseAsync(pat.Login, Methods.Push);
            await portal.Button("Send push").ClickAsync();
            await portal.ShouldBeOnAsync(Headings.CheckYourPhone);

            // A second reset while the first push is open: the next push has to wait.
            await story.OpenPortalAsync();
            await portal.StartAsync(pat.Login);
            await portal.ChooseAsync(Methods.Push);
            await portal.ShouldBeOnAsync(Headings.GetPush);
            await portal.Button("Send push").ClickAsync();
            await Expect(portal.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "We didn't send a push" })).ToBeVisibleAsync();
            await Expect(portal.Page.GetByText("You can send a push in")).ToBeVisibleAsync();
            if (scripting == Scripting.Enabled)
            {
                await Expect(portal.Button("Send push")).ToBeDisabledAsync();
            }
            else
            {
                for (var press = 0; press < 4; press++)
                {
                    await portal.Button("Send push").ClickAsync();
                    await Expect(portal.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "We didn't send a push" })).ToBeVisibleAsync();
                }

                await portal.ShouldBeOnAsync(Headings.GetPush);
            }

            Assert.Equal(1, await story.Org.VerificationsAsync()); // the one push; every refused press asked Okta nothing
        });

    [Fact]
    public Task CodePageWarnsAMinuteBeforeTheResetEnds() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            var portal = await story.OpenAndChooseAsync(DemoUser.Tom.Login, Methods.OktaVerifyCode);
            await portal.ShouldBeOnAsync(Headings.EnterOktaVerifyCode);
            await Expect(portal.Page.GetByText("Enter the code within")).ToBeVisibleAsync();

            await Expect(portal.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Less than a minute left" })).ToBeVisibleAsync(new() { Timeout = 20_000 });
            Assert.Contains(await story.AnnouncementsAsync(), heard => heard.Contains("Less than a minute left", StringComparison.Ordinal));
        },
        new Dictionary<string, string?> { ["Reset:IdleTimeout"] = "00:01:03" });

    [Fact]
    public Task PasswordRulesAreMarkedAsThePersonTypesAndThePasswordCanBeShown() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            var portal = await VerifiedWithTomAsync(story);
            var rules = portal.Page.Locator("#password-policy li");
            await Expect(rules.Nth(0)).ToHaveAttributeAsync("data-state", "unmet");
            await Expect(rules.Nth(0)).ToHaveTextAsync("Not yet met: be at least 8 characters long");

            // The sandbox policy's rules, one a line: length, lowercase, uppercase, number, username parts, history.
            await portal.NewPasswordField.PressSequentiallyAsync("abc");
            await Expect(rules.Nth(0)).ToHaveAttributeAsync("data-state", "unmet");
            await Expect(rules.Nth(1)).ToHaveAttributeAsync("data-state", "met");
            await Expect(rules.Nth(2)).ToHaveAttributeAsync("data-state", "unmet");
            await portal.NewPasswordField.PressSequentiallyAsync("defG1");
            await Expect(rules.Nth(0)).ToHaveAttributeAsync("data-state", "met");
            await Expect(rules.Nth(1)).ToHaveAttributeAsync("data-state", "met");
            await Expect(rules.Nth(2)).ToHaveAttributeAsync("data-state", "met");
            await Expect(rules.Nth(3)).ToHaveAttributeAsync("data-state", "met");
            await Expect(rules.Nth(4)).ToHaveAttributeAsync("data-state", "met"); // username parts: checked against Tom's own words
            await Expect(portal.Page.Locator("[data-rules-summary]")).ToHaveTextAsync("All the rules that can be checked while you type are met.");

            await portal.Button("Show password").ClickAsync();
            await Expect(portal.NewPasswordField).ToHaveAttributeAsync("type", "text");
            await Expect(portal.Button("Hide password")).ToHaveAttributeAsync("aria-pressed", "true");
            await portal.Button("Hide password").ClickAsync();
            await Expect(portal.NewPasswordField).ToHaveAttributeAsync("type", "password");
        });

    [Theory, WithAndWithoutScripts]
    public Task BackAfterSuccessLandsOnThePageThatSaysItWorked(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, async story =>
        {
            var portal = await VerifiedWithTomAsync(story);
            await portal.ChangePasswordAsync(DemoUser.GoodPassword);
            await portal.ShouldBeOnAsync(Headings.Done);

            await portal.Page.GoBackAsync();

            await portal.ShouldBeOnAsync(Headings.Done);
            await Expect(portal.Page.GetByText("couldn't continue")).ToHaveCountAsync(0);
        });

    [Fact]
    public Task DonePageInAFreshBrowserSaysNothingWasChanged() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            await story.Page.GotoAsync(new Uri(story.Portal, "/reset/done").ToString());

            await story.Reset.ShouldBeOnAsync("Please start again");
            await Expect(story.Page.GetByText("has been changed")).ToHaveCountAsync(0);
        });

    [Theory, WithAndWithoutScripts]
    public Task ATabWhoseResetWasReplacedSaysWhy(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, async story =>
        {
            var tom = DemoUser.Tom;
            var first = await story.OpenAndChooseAsync(tom.Login, Methods.OktaVerifyCode);
            await first.ShouldBeOnAsync(Headings.EnterOktaVerifyCode);

            var secondTab = await story.Page.Context.NewPageAsync();
            await secondTab.GotoAsync(story.Portal.ToString());
            var second = new ResetPortal(secondTab);
            await second.StartAsync(tom.Login);

            await first.EnterCodeAsync(await (await story.PhoneAsync()).ReadAuthenticatorCodeAsync(tom.Name));
            await first.ShouldBeOnAsync("This reset continues in another tab");
            await second.ChooseAsync(Methods.OktaVerifyCode);
            await second.ShouldBeOnAsync(Headings.EnterOktaVerifyCode);
        });

    /// <summary>Tom has verified with his Okta Verify code: on the password page.</summary>
    internal static async Task<ResetPortal> VerifiedWithTomAsync(Story story)
    {
        var tom = DemoUser.Tom;
        var portal = await story.OpenAndChooseAsync(tom.Login, Methods.OktaVerifyCode);
        await portal.EnterCodeAsync(await (await story.PhoneAsync()).ReadAuthenticatorCodeAsync(tom.Name));
        await portal.ShouldBeOnAsync(Headings.NewPassword);
        return portal;
    }
}
