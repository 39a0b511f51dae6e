using MfaReset.Browser.Tests.Support;
using MfaReset.Browser.Tests.Pages;
using Microsoft.Playwright;
using static MfaReset.Browser.Tests.Pages.ResetPortal;
using static Microsoft.Playwright.Assertions;

namespace MfaReset.Browser.Tests.Stories;

/// <summary>"This wasn't me": from the notice in the simulator's inbox to the confirmation, and the sessions ended at Okta.</summary>
[Collection(RealBrowserStories.Name)]
public sealed class NoticeStories(StoryFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public Task TheNoticeOfAResetLeadsToAConfirmationThatEndsTheSessionsAtOkta() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            var tom = DemoUser.Tom;
            var portal = await story.OpenPortalAsync();
            await portal.StartAsync(tom.Login);
            await portal.ChooseAsync(Methods.OktaVerifyCode);
            var phone = await story.PhoneAsync();
            await portal.EnterCodeAsync(await phone.ReadAuthenticatorCodeAsync(tom.Name));
            await portal.ChangePasswordAsync(DemoUser.GoodPassword);
            await portal.ShouldBeOnAsync(Headings.Done);
            var endedByTheReset = await story.Org.SessionsRevokedAsync(tom.Login);

            // The notice lands in Tom's inbox on the simulator, with its link.
            var link = phone.PhoneOf(tom.Name).Locator(".mail a");
            for (var look = 0; look < 50 && await link.CountAsync() == 0; look++)
            {
                await Task.Delay(100);
                await phone.Page.ReloadAsync();
            }

            await Expect(phone.PhoneOf(tom.Name).Locator(".mail")).ToContainTextAsync("your password was reset");
            var href = await link.First.GetAttributeAsync("href");

            await story.Page.GotoAsync(href!);
            await portal.ShouldBeOnAsync("Report a change you didn't make");
            await story.Axe.AssertNoSeriousViolationsAsync(story.Page, "Report a change you didn't make", "from the notice");
            Assert.Equal(endedByTheReset, await story.Org.SessionsRevokedAsync(tom.Login));

            await portal.Button("It wasn't me: sign my account out everywhere").ClickAsync();
            await portal.ShouldBeOnAsync("Your account is signed out everywhere");
            await Expect(story.Page.GetByText("Call the help desk now")).ToBeVisibleAsync();
            await story.Axe.AssertNoSeriousViolationsAsync(story.Page, "Your account is signed out everywhere", "confirmed");
            Assert.True(await story.Org.SessionsRevokedAsync(tom.Login) > endedByTheReset);

            // The same link again: nothing more happens.
            await story.Page.GotoAsync(href!);
            await portal.Button("It wasn't me: sign my account out everywhere").ClickAsync();
            await portal.ShouldBeOnAsync("This link has been used already");
        });
}
