using System.Globalization;
using System.Text.RegularExpressions;
using MfaReset.Browser.Tests.Pages;
using MfaReset.Browser.Tests.Support;
using Microsoft.Playwright;
using static MfaReset.Browser.Tests.Pages.ResetPortal;
using static Microsoft.Playwright.Assertions;

namespace MfaReset.Browser.Tests.Stories;

/// <summary>
/// What a person is told about sends and tries: a send held back by the pause says so (and when), pressing
/// early spends nothing and "send again" works after the pause without a reload; right codes never spend
/// the wrong-code budget; a method the account may not have is worded honestly and offers a way out.
/// </summary>
[Collection(StoriesThatWaitOutOktasPauses.Name)]
public sealed partial class SendAndBudgetStories(StoryFixture fixture, ITestOutputHelper output)
{
    [Theory, WithAndWithoutScripts]
    public Task CodeAskedForTooSoonIsNotClaimedAsSentAndSendAgainWorksAfterThePauseWithoutAReload(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, async story =>
        {
            var sam = DemoUser.Sam;
            var portal = await story.OpenPortalAsync();
            await portal.StartAsync(sam.Login);
            await portal.SendTextMessageCodeAsync();
            await Expect(portal.Page.GetByText(WeSentA())).ToHaveCountAsync(1); // said once, not twice
            var sendAgain = portal.Button("Send a new code");

            if (scripting == Scripting.Disabled)
            {
                // Without scripts the button stays usable: pressing early spends nothing and says when.
                await sendAgain.ClickAsync();
                await Expect(portal.Page.GetByRole(AriaRole.Status).First).ToContainTextAsync("We didn't send a code: codes can only be sent a little while apart.");
                await Expect(portal.Page.GetByText("We sent a new code")).ToHaveCountAsync(0);
                await Expect(portal.Page.GetByText(WeSentA())).ToHaveCountAsync(1); // the first code, still the one to enter
                Assert.Equal(1, await story.Org.VerificationsAsync());
                var wait = SecondsIn(await portal.Page.GetByText("You can ask for a code in").InnerTextAsync());
                await Task.Delay(TimeSpan.FromSeconds(wait + 1)); // the pause the page named, and nothing else
            }
            else
            {
                await Expect(sendAgain).ToBeDisabledAsync();
                await Expect(sendAgain).ToBeEnabledAsync(new() { Timeout = 45_000 });
            }

            await sendAgain.ClickAsync();

            await Expect(portal.Page.GetByRole(AriaRole.Status).First).ToContainTextAsync("We sent a new code. Only the newest code works.");
            Assert.Equal(2, await story.Org.VerificationsAsync());
        });

    /// <summary>
    /// Without scripts, a code held back by the pause after another reset's send: the normal "sent" page (the other
    /// reset's code works here); a press during the pause says it is the pause (never that Okta refused) and names
    /// the time really left, and the press when it is over sends.
    /// </summary>
    [Fact]
    public Task WithoutScriptsACodeHeldBackByAnotherResetsPauseNamesTheRealWaitAndSendsWhenItIsOver() =>
        fixture.PlayAsync(output, Scripting.Disabled, async story =>
        {
            var sam = DemoUser.Sam;
            var portal = await story.OpenPortalAsync();
            await portal.StartAsync(sam.Login);
            await portal.SendTextMessageCodeAsync();

            await story.OpenPortalAsync(); // starts over: the pause after the first code still runs
            await portal.StartAsync(sam.Login);
            await portal.ChooseAsync(Methods.Sms);
            await portal.Button("Send code").ClickAsync();
            await portal.ShouldBeOnAsync(Headings.EnterSentCode); // the normal page: the first reset's code works here
            Assert.Equal(1, await story.Org.VerificationsAsync());
            await portal.Button("Send a new code").ClickAsync();

            await Expect(portal.Page.GetByRole(AriaRole.Status).First).ToContainTextAsync("We didn't send a code: codes can only be sent a little while apart.");
            var wait = SecondsIn(await portal.Page.GetByText("You can ask for a code in").InnerTextAsync());
            Assert.InRange(wait, 1, 30);
            await Task.Delay(TimeSpan.FromSeconds(wait)); // the wait the page named, and nothing else
            await portal.Button("Send a new code").ClickAsync();
            await portal.ShouldBeOnAsync(Headings.EnterSentCode);
            Assert.Equal(2, await story.Org.VerificationsAsync());
        });

    /// <summary>
    /// With a wrong-code budget of two, a reset with a right code and then a typo in the next reset would
    /// have locked the person out when right codes counted; only the typo counts.
    /// </summary>
    [Fact]
    public Task RightCodesNeverSpendTheWrongCodeBudget() =>
        fixture.PlayAsync(output, Scripting.Enabled, settings: TwoWrongCodes, story: async story =>
        {
            var lou = DemoUser.Lou;
            var portal = await story.OpenAndChooseAsync(lou.Login, Methods.OktaVerifyCode);
            await portal.EnterCodeAsync(await (await story.PhoneAsync()).ReadAuthenticatorCodeAsync(lou.Name));
            await portal.ShouldBeOnAsync(Headings.NewPassword);

            await story.OpenPortalAsync();
            await portal.StartAsync(lou.Login);
            await portal.ChooseAsync(Methods.Sms);
            await portal.Button("Send code").ClickAsync();
            var code = await (await story.PhoneAsync()).ReadTextMessageCodeAsync(lou.Name);
            await portal.EnterCodeAsync(CodeStories.WrongCode(code));
            await Expect(portal.ErrorSummary).ToContainTextAsync("That code didn't work.");
            await portal.EnterCodeAsync(code);

            await portal.ShouldBeOnAsync(Headings.NewPassword);
        });

    [Fact]
    public Task PushToAnAccountThatMayNotHaveOktaVerifyIsWordedHonestlyAndOffersAnotherMethod() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            var portal = await story.OpenAndChooseAsync("nora.nofactors@example.com", Methods.Push);
            await portal.Button("Send push").ClickAsync();
            await portal.ShouldBeOnAsync(Headings.CheckYourPhone);
            await Expect(portal.Page.GetByText("If Okta Verify is set up for this account")).ToBeVisibleAsync();
            var wayOut = portal.Page.GetByText("Didn't get anything?");
            await Expect(wayOut).ToBeHiddenAsync();

            await Expect(wayOut).ToBeVisibleAsync(new() { Timeout = 45_000 });
            await Expect(wayOut).ToContainTextAsync("use another method");
            await Expect(portal.Page.GetByRole(AriaRole.Link, new() { Name = "Try another method" })).ToHaveCountAsync(1); // one way out, not two in a row
            await portal.Link("Try another method").ClickAsync();

            await portal.ShouldBeOnAsync(Headings.ChooseMethod);
            Assert.Equal(0, await story.Org.VerificationsAsync()); // an account without Okta Verify was sent nothing
        });

    private static readonly Dictionary<string, string?> TwoWrongCodes = new()
    {
        ["Reset:Limits:CodeAttemptsPerUser"] = "2",
        ["Reset:Limits:CodeAttemptsPerFlow"] = "2",
    };

    private static int SecondsIn(string text) => int.Parse(Number().Match(text).Value, CultureInfo.InvariantCulture);

    [GeneratedRegex("we sent a ", RegexOptions.IgnoreCase)]
    private static partial Regex WeSentA();

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Number();
}
