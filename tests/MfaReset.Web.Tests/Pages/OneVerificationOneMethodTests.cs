using System.Net;
using MfaReset.Okta.Sandbox;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>
/// With two methods required, one push approval counts once: a change of method posted from another tab while
/// Okta's answer is on its way is refused, and the approval is written for the push.
/// </summary>
public sealed class OneVerificationOneMethodTests(OneVerificationOneMethodTests.Portal app) : PortalTests<OneVerificationOneMethodTests.Portal>(app)
{
    private const string Max = "max.multi@example.com";

    private static readonly TimeSpan OktaStall = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task AChangeOfMethodWhileAnApprovedPushIsBeingAnsweredIsRefusedAndThePushIsNotOfferedAgain()
    {
        using var browser = await App.NewBrowserWithPushSentAsync(Max);
        using var otherTab = App.NewBrowser();
        browser.CopyCookiesTo(otherTab);
        await otherTab.GetAsync("/reset/method");
        var push = Assert.Single(App.Okta.GetPendingPushes(Max));
        Assert.Equal(PushAnswerOutcome.Approved, App.Okta.ApprovePush(push.TransactionId, push.CorrectAnswer));

        App.Okta.ScriptNextCall(Max, ScriptedCallFault.Slow);
        var poll = browser.PollAsync();
        await Eventually.TrueAsync(() => App.Okta.GetUser(Max).NextCall == ScriptedCallFault.None, "the poll reaches the sandbox");
        await otherTab.PostAsync("/reset/method", ("Input.Choice", "sms"));
        App.Clock.Advance(OktaStall);
        var (_, answer) = await poll;

        Assert.Equal(HttpStatusCode.Conflict, otherTab.Response.StatusCode);
        Assert.Equal(["We're still checking the method you're using. Wait a moment, then choose again."], otherTab.Errors);
        Assert.Equal("approved", answer.GetProperty("state").GetString());
        await browser.GetAsync(answer.GetProperty("redirect").GetString()!);
        Assert.Contains("Your organization asks for a second check", browser.Page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Null(browser.Page.QuerySelector("input[value=push]"));
        Assert.NotNull(browser.Page.QuerySelector("input[value=sms]"));
        await browser.PostAsync("/reset/method", ("Input.Choice", "push"));
        Assert.Equal(["Choose one of the methods listed."], browser.Errors);
        Assert.Equal(1, App.CallsFor(Max, OktaOperations.VerifyFactor)); // the one push; nothing sent for the refused change
    }

    public sealed class Portal : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Reset:MethodsRequired"] = "2",
        };

        // Shorter than the portal's attempt timeout, so the stalled poll is answered.
        protected override void ConfigureSandbox(SandboxOptions options) => options.Faults.SlowCallDelay = OktaStall;
    }
}
