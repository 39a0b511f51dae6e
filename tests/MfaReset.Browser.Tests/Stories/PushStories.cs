using MfaReset.Browser.Tests.Pages;
using MfaReset.Browser.Tests.Support;
using static MfaReset.Browser.Tests.Pages.ResetPortal;
using static Microsoft.Playwright.Assertions;

namespace MfaReset.Browser.Tests.Stories;

/// <summary>
/// Okta Verify push with number matching. With scripts the push page follows the push by itself (no
/// click) and says what happened in a live region; without scripts the person presses "I've approved it".
/// </summary>
[Collection(RealBrowserStories.Name)]
public sealed class PushStories(StoryFixture fixture, ITestOutputHelper output)
{
    private static readonly DemoUser Pat = DemoUser.Pat;

    [Theory, WithAndWithoutScripts]
    public Task PushApprovedWithTheRightNumberResetsThePassword(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, async story =>
        {
            var portal = await SendPushAsync(story);
            var number = await portal.NumberToTapAsync();
            if (story.Scripting == Scripting.Disabled)
            {
                // Pressed before answering on the phone: the page says so and keeps waiting.
                await portal.Button("I've approved it").ClickAsync();
                await portal.ShouldBeOnAsync(Headings.CheckYourPhone);
                await Expect(portal.NotApprovedYet).ToBeVisibleAsync();
            }

            await (await story.PhoneAsync()).TapNumberAsync(Pat.Name, number);
            await FollowThePushAsync(story, Headings.NewPassword);
            if (story.Scripting == Scripting.Enabled)
            {
                Assert.Contains("Approved. Taking you to the next step…", await story.AnnouncementsAsync());
            }

            await portal.ChangePasswordAsync(DemoUser.GoodPassword);
            await portal.ShouldBeOnAsync(Headings.Done);
        });

    [Theory, WithAndWithoutScripts]
    public Task PushApprovedWithTheWrongNumberIsDeniedAndEndsTheReset(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, async story =>
        {
            var portal = await SendPushAsync(story);
            var number = await portal.NumberToTapAsync();

            var phone = await story.PhoneAsync();
            await phone.TapAnotherNumberAsync(Pat.Name, number);
            await phone.ShouldSayAsync("Wrong number picked: the push was rejected.");

            await ShouldEndDeniedAsync(story);
        });

    [Theory, WithAndWithoutScripts]
    public Task PushDeniedOnThePhoneEndsTheReset(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, async story =>
        {
            await SendPushAsync(story);

            await (await story.PhoneAsync()).DenyPushAsync(Pat.Name);
            await ShouldEndDeniedAsync(story);
        });

    [Theory, WithAndWithoutScripts]
    public Task PushNobodyAnswersTimesOutAndOffersAnotherMethod(Scripting scripting) =>
        fixture.PlayAsync(output, scripting, settings: PortalSettings.ShortPushLifetime, story: async story =>
        {
            var portal = await SendPushAsync(story);
            if (story.Scripting == Scripting.Disabled)
            {
                // The phone drops the push when it expires; only then is there something new to check.
                await (await story.PhoneAsync()).ShouldShowNoPushAsync(Pat.Name);
            }

            await FollowThePushAsync(story, Headings.PushExpired);
            await Expect(story.Page.GetByText("Nobody answered the push notification in time.")).ToBeVisibleAsync();
            await Expect(portal.Link("Try another method")).ToBeVisibleAsync();
            if (story.Scripting == Scripting.Enabled)
            {
                Assert.Contains("The push notification expired.", await story.AnnouncementsAsync());
            }
        });

    [Fact]
    public Task PollsOverTheAddressLimitWaitForRetryAfterInsteadOfReloadingThePage() =>
        // Many people behind one address: the page's polls from this browser get 429 after ten in a minute.
        fixture.PlayAsync(output, Scripting.Enabled, settings: new Dictionary<string, string?> { ["Reset:Limits:PollsPerMinutePerClient"] = "10" }, story: async story =>
        {
            await SendPushAsync(story);
            var refused = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
            var loads = 0;
            story.Page.Response += (_, response) =>
            {
                if (response.Status == 429 && response.Url.Contains("/reset/push/status", StringComparison.Ordinal))
                {
                    refused.TrySetResult(DateTimeOffset.UtcNow);
                }
            };
            story.Page.Load += (_, _) => Interlocked.Increment(ref loads);

            // Ten polls at the page's pace of one a second, whatever second of the minute it started at.
            await refused.Task.WaitAsync(TimeSpan.FromSeconds(75));
            await Task.Delay(TimeSpan.FromSeconds(3));

            Assert.Equal(0, Volatile.Read(ref loads));
            await story.Reset.ShouldBeOnAsync(Headings.CheckYourPhone);
        });

    [Fact]
    public Task PollsTheBusyPortalRefusesWaitForRetryAfterInsteadOfReloadingThePage() =>
        // The portal at its limit of requests at once answers the page's poll 503 with Retry-After.
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            await SendPushAsync(story);
            var polls = 0;
            var loads = 0;
            var askedAgain = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            story.Page.Load += (_, _) => Interlocked.Increment(ref loads);
            await story.Page.RouteAsync("**/reset/push/status", async route =>
            {
                if (Interlocked.Increment(ref polls) == 1)
                {
                    await route.FulfillAsync(new() { Status = 503, Headers = new Dictionary<string, string> { ["Retry-After"] = "1" }, ContentType = "text/html", Body = "busy" });
                    return;
                }

                askedAgain.TrySetResult();
                await route.ContinueAsync();
            });

            await askedAgain.Task.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(0, Volatile.Read(ref loads));
            await story.Reset.ShouldBeOnAsync(Headings.CheckYourPhone);
        });

    /// <summary>
    /// A trainer's demo, back to back: approve, deny, wrong number. The approval frees the next push at once; after
    /// the denial the gap stays, the page names the time really left and counts it down, and its button then sends.
    /// </summary>
    [Fact]
    public Task ApproveDenyWrongNumberRunsBackToBackWithNoWaitThePageDoesNotShow() =>
        fixture.PlayAsync(output, Scripting.Enabled, async story =>
        {
            var phone = await story.PhoneAsync();
            var portal = await SendPushAsync(story);
            await phone.TapNumberAsync(Pat.Name, await portal.NumberToTapAsync());
            await portal.ShouldBeOnAsync(Headings.NewPassword);

            await SendPushAsync(story);
            await phone.DenyPushAsync(Pat.Name);
            await ShouldEndDeniedAsync(story);

            portal = await story.OpenPortalAsync();
            await portal.StartAsync(Pat.Login);
            await portal.ChooseAsync(Methods.Push);
            await portal.Button("Send push").ClickAsync();
            await Expect(story.Page.GetByText("We didn't send a push: pushes to one account can only be sent a minute apart.")).ToBeVisibleAsync();
            var left = int.Parse(await story.Page.Locator("[data-countdown-seconds]").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(left, 1, 30);
            await Expect(portal.Button("Send push")).ToBeEnabledAsync(new() { Timeout = (left + 5) * 1000 });
            await portal.Button("Send push").ClickAsync();
            await portal.ShouldBeOnAsync(Headings.CheckYourPhone);
            await phone.TapAnotherNumberAsync(Pat.Name, await portal.NumberToTapAsync());
            await ShouldEndDeniedAsync(story);
        },
        new Dictionary<string, string?> { ["Reset:Limits:PushCooldown"] = "00:00:30" });

    /// <summary>Without scripts, one press of "I've approved it" after approving leads on: Okta is asked for the press.</summary>
    [Fact]
    public Task WithoutScriptsOnePressOfIveApprovedItAfterApprovingLeadsOn() =>
        fixture.PlayAsync(output, Scripting.Disabled, async story =>
        {
            var phone = await story.PhoneAsync();
            var portal = await SendPushAsync(story);
            var number = await portal.NumberToTapAsync();
            await portal.Button("I've approved it").ClickAsync();
            await Expect(portal.NotApprovedYet).ToBeVisibleAsync();

            // Approved and pressed again within the poll interval, whose one Okta ask the first press spent.
            await phone.TapNumberAsync(Pat.Name, number);
            await portal.Button("I've approved it").ClickAsync();

            await portal.ShouldBeOnAsync(Headings.NewPassword);
        },
        new Dictionary<string, string?> { ["Reset:PushPollInterval"] = "00:00:08" });

    /// <summary>Pat asks for a push and lands on "Check your phone".</summary>
    private static async Task<ResetPortal> SendPushAsync(Story story)
    {
        var portal = await story.OpenAndChooseAsync(Pat.Login, Methods.Push);
        await portal.ShouldBeOnAsync(Headings.GetPush);
        await portal.Button("Send push").ClickAsync();
        await portal.ShouldBeOnAsync(Headings.CheckYourPhone);
        return portal;
    }

    /// <summary>With scripts the page moves on by itself; without, the person asks it to check once.</summary>
    private static async Task FollowThePushAsync(Story story, string nextHeading)
    {
        if (story.Scripting == Scripting.Disabled)
        {
            await story.Reset.PressIveApprovedItAsync(nextHeading);
        }

        await story.Reset.ShouldBeOnAsync(nextHeading);
    }

    private static async Task ShouldEndDeniedAsync(Story story)
    {
        await FollowThePushAsync(story, Headings.PushDenied);
        await Expect(story.Reset.Link("Start again")).ToBeVisibleAsync();
        if (story.Scripting == Scripting.Enabled)
        {
            Assert.Contains("The push wasn't approved.", await story.AnnouncementsAsync());
        }
    }
}
