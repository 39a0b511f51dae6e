using System.Net;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.HelpDesk;

/// <summary>An agent verifies a caller by push, SMS or app code through the reset flow's own calls and caps; each attempt is audited.</summary>
public sealed class CallerVerificationTests(HelpDeskPortal app) : IClassFixture<HelpDeskPortal>
{
    private const string Pat = "pat.push@example.com";
    private const string Sam = "sam.sms@example.com";

    [Fact]
    public async Task ApprovedPushWithTheShownNumberVerifiesTheCallerAndOpensTheirRecord()
    {
        app.Fresh();
        using var agent = await app.NewAgentAsync();
        await HelpDeskPortal.SendAsync(agent, Pat, "Okta Verify push");
        await agent.FollowAsync();
        var push = Assert.Single(app.Okta.GetPendingPushes(Pat));
        Assert.Equal(push.CorrectAnswer.ToString(), agent.Page.QuerySelector("[data-push-number]")!.TextContent);

        app.Okta.ApprovePush(push.TransactionId, push.CorrectAnswer);
        using var poll = await agent.PollAtAsync("/helpdesk/push/status");
        var body = System.Text.Json.JsonDocument.Parse(await poll.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        Assert.Equal("approved", body.GetProperty("state").GetString());
        await agent.GetAsync(body.GetProperty("redirect").GetString()!);
        Assert.Equal("Verified caller", agent.Heading);
        Assert.Contains("Active", agent.Page.QuerySelector("dl.facts")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Id.Id == 2404 && r.Message.Contains("\"OktaVerifyPush\"", StringComparison.Ordinal) && r.Message.Contains("\"Verified\"", StringComparison.Ordinal)
            && r.Message.Contains("hana.agent@example.com", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeniedPushIsShownAsNotVerifiedAndOpensNothing()
    {
        app.Fresh();
        using var agent = await app.NewAgentAsync();
        await HelpDeskPortal.SendAsync(agent, Pat, "Okta Verify push");
        app.Okta.DenyPush(Assert.Single(app.Okta.GetPendingPushes(Pat)).TransactionId);

        await agent.FollowAsync();
        app.Clock.Advance(TimeSpan.FromSeconds(10)); // the poll interval: Okta is asked at most once per interval
        await agent.PostAsync("/helpdesk/push/check");
        await agent.FollowAsync();

        Assert.Equal("Verify the caller", agent.Heading);
        Assert.Contains("Not verified: the caller denied the push", agent.Page.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        var again = agent.Page.QuerySelector("form[action='/helpdesk']")!; // a new check, one press away
        Assert.NotNull(again.QuerySelector("input[name='__RequestVerificationToken']"));
        Assert.Equal(Pat, again.QuerySelector("input[name='Input.Username']")!.GetAttribute("value"));
        await agent.GetAsync("/helpdesk/person");
        Assert.Equal("/helpdesk/verify", agent.Location);
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Id.Id == 2404 && r.Message.Contains("\"OktaVerifyPush\"", StringComparison.Ordinal) && r.Message.Contains("\"Denied\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WrongNumberTappedIsNotVerified()
    {
        app.Fresh();
        using var agent = await app.NewAgentAsync();
        await HelpDeskPortal.SendAsync(agent, Pat, "Okta Verify push");
        var push = Assert.Single(app.Okta.GetPendingPushes(Pat));
        Assert.Equal(PushAnswerOutcome.WrongNumber, app.Okta.ApprovePush(push.TransactionId, push.Choices.First(n => n != push.CorrectAnswer)));

        await agent.FollowAsync();
        app.Clock.Advance(TimeSpan.FromSeconds(10)); // the poll interval: Okta is asked at most once per interval
        await agent.PostAsync("/helpdesk/push/check");

        Assert.Equal("/helpdesk/verify?result=denied", agent.Location);
        await agent.GetAsync("/helpdesk/person");
        Assert.Equal("/helpdesk/verify", agent.Location);
    }

    [Fact]
    public async Task SmsCodeReadBackVerifiesTheCaller()
    {
        app.Fresh();
        using var agent = await app.NewAgentAsync();
        await HelpDeskPortal.SendAsync(agent, Sam, "Text message (SMS)");
        Assert.Equal("/helpdesk/code", agent.Location);
        await agent.FollowAsync();
        var code = app.Okta.GetLatestMessage(Sam)!.Code;

        await agent.PostAsync("/helpdesk/code", ("Code", code));
        await agent.FollowAsync();

        Assert.Equal("Verified caller", agent.Heading);
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Id.Id == 2404 && r.Message.Contains("\"Sms\"", StringComparison.Ordinal) && r.Message.Contains("\"Verified\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WrongCodeIsSaidPlainlyAndOpensNothing()
    {
        app.Fresh();
        using var agent = await app.NewAgentAsync();
        await HelpDeskPortal.SendAsync(agent, Sam, "Text message (SMS)");
        await agent.FollowAsync();
        var code = app.Okta.GetLatestMessage(Sam)!.Code;

        await agent.PostAsync("/helpdesk/code", ("Code", code == "000000" ? "111111" : "000000"));
        await agent.FollowAsync();

        Assert.Contains("Not verified: wrong code.", agent.Page.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        await agent.GetAsync("/helpdesk/person");
        Assert.Equal("/helpdesk/verify", agent.Location);
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Id.Id == 2404 && r.Message.Contains("\"Sms\"", StringComparison.Ordinal) && r.Message.Contains("\"WrongCode\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConsolePushesCountAgainstThePersonsPushCapLikeTheResetPages()
    {
        app.Fresh();
        using var agent = await app.NewAgentAsync();
        var sent = 0;
        for (var i = 0; i < 10; i++)
        {
            await HelpDeskPortal.SendAsync(agent, Pat, "Okta Verify push");
            if (agent.Location!.StartsWith("/helpdesk/push", StringComparison.Ordinal))
            {
                sent++;
            }

            // Past the portal's gap between pushes to one person, so only the cap can stop the next one.
            app.Clock.Advance(TimeSpan.FromSeconds(61));
        }

        Assert.Equal(3, sent); // Reset:Limits:PushesPerUser
        Assert.Equal(3, app.CallsFor(Pat, "verifyFactor"));
    }

    [Fact]
    public async Task OnlyThePersonsOwnMethodsAreOfferedAndAnUnknownUsernameIsSaidPlainly()
    {
        app.Fresh();
        using var agent = await app.NewAgentAsync();

        await agent.PostAsync("/helpdesk", ("Input.Username", Sam));
        await agent.FollowAsync();
        var offered = agent.Page.QuerySelectorAll(".choice label").Select(l => l.TextContent).ToList();
        Assert.Equal(["Text message (SMS) to ••• ••• 0101"], offered.Select(o => o.Replace('\u00a0', ' ')).ToList());

        await agent.GetAsync("/helpdesk");
        await agent.PostAsync("/helpdesk", ("Input.Username", "nobody.at.all@example.com"));
        await agent.FollowAsync();
        Assert.Contains("Okta has no account with that username", agent.Page.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheConsoleIsOffByDefault()
    {
        await using var plain = new PlainPortal();
        await plain.InitializeAsync();
        using var browser = plain.NewBrowser();

        await browser.GetAsync("/helpdesk");

        Assert.Equal(HttpStatusCode.NotFound, browser.Response.StatusCode);
    }

    private sealed class PlainPortal : PortalApp;
}
