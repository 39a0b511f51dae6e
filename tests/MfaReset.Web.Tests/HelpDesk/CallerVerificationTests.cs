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
        var push = await PushSentAsync(agent);
        await agent.FollowAsync();
        Assert.Equal(push.CorrectAnswer.ToString(), agent.Page.QuerySelector("[data-push-number]")!.TextContent);

        app.Okta.ApprovePush(push.TransactionId, push.CorrectAnswer);
        using var poll = await agent.PollAtAsync("/helpdesk/push/status");
        var body = System.Text.Json.JsonDocument.Parse(await poll.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        Assert.Equal("approved", body.GetProperty("state").GetString());
        await agent.GetAsync(body.GetProperty("redirect").GetString()!);
        Assert.Equal("Verified caller", agent.Heading);
        Assert.Contains("Active", agent.Page.QuerySelector("dl.facts")!.TextContent, StringComparison.Ordinal);
        AssertAudited("OktaVerifyPush", "Verified", "hana.agent@example.com");
    }

    [Fact]
    public async Task DeniedPushIsShownAsNotVerifiedAndOpensNothing()
    {
        app.Fresh();
        using var agent = await app.NewAgentAsync();
        app.Okta.DenyPush((await PushSentAsync(agent)).TransactionId);

        await agent.FollowAsync();
        await CheckPushNextIntervalAsync(agent);
        await agent.FollowAsync();

        Assert.Equal("Verify the caller", agent.Heading);
        Assert.Contains("Not verified: the caller denied the push", agent.Page.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        var again = agent.Page.QuerySelector("form[action='/helpdesk']")!; // a new check, one press away
        Assert.NotNull(again.QuerySelector("input[name='__RequestVerificationToken']"));
        Assert.Equal(Pat, again.QuerySelector("input[name='Input.Username']")!.GetAttribute("value"));
        await AssertNoRecordOpensAsync(agent);
        AssertAudited("OktaVerifyPush", "Denied");
    }

    [Fact]
    public async Task WrongNumberTappedIsNotVerified()
    {
        app.Fresh();
        using var agent = await app.NewAgentAsync();
        var push = await PushSentAsync(agent);
        Assert.Equal(PushAnswerOutcome.WrongNumber, app.Okta.ApprovePush(push.TransactionId, push.Choices.First(n => n != push.CorrectAnswer)));

        await agent.FollowAsync();
        await CheckPushNextIntervalAsync(agent);

        Assert.Equal("/helpdesk/verify?result=denied", agent.Location);
        await AssertNoRecordOpensAsync(agent);
    }

    [Fact]
    public async Task SmsCodeReadBackVerifiesTheCaller()
    {
        app.Fresh();
        using var agent = await app.NewAgentAsync();
        var code = await CodeTextedAsync(agent);

        await agent.PostAsync("/helpdesk/code", ("Code", code));
        await agent.FollowAsync();

        Assert.Equal("Verified caller", agent.Heading);
        AssertAudited("Sms", "Verified");
    }

    [Fact]
    public async Task WrongCodeIsSaidPlainlyAndOpensNothing()
    {
        app.Fresh();
        using var agent = await app.NewAgentAsync();
        var code = await CodeTextedAsync(agent);

        await agent.PostAsync("/helpdesk/code", ("Code", code == "000000" ? "111111" : "000000"));
        await agent.FollowAsync();

        Assert.Contains("Not verified: wrong code.", agent.Page.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        await AssertNoRecordOpensAsync(agent);
        AssertAudited("Sms", "WrongCode");
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

    /// <summary>The agent looks Pat up and sends a push (the answer not followed); the push pending on Pat's phone.</summary>
    private async Task<PendingPush> PushSentAsync(PortalBrowser agent)
    {
        await HelpDeskPortal.SendAsync(agent, Pat, "Okta Verify push");
        return Assert.Single(app.Okta.GetPendingPushes(Pat));
    }

    /// <summary>The agent's "check now", one poll interval later: Okta is asked at most once per interval.</summary>
    private async Task CheckPushNextIntervalAsync(PortalBrowser agent)
    {
        app.Clock.Advance(TimeSpan.FromSeconds(10));
        await agent.PostAsync("/helpdesk/push/check");
    }

    /// <summary>The agent looks Sam up and texts a code, landing on the code page; the code Sam's phone got.</summary>
    private async Task<string> CodeTextedAsync(PortalBrowser agent)
    {
        await HelpDeskPortal.SendAsync(agent, Sam, "Text message (SMS)");
        Assert.Equal("/helpdesk/code", agent.Location);
        await agent.FollowAsync();
        return app.Okta.GetLatestMessage(Sam)!.Code;
    }

    /// <summary>The caller's record stays closed: asking for it leads back to verification.</summary>
    private static async Task AssertNoRecordOpensAsync(PortalBrowser agent)
    {
        await agent.GetAsync("/helpdesk/person");
        Assert.Equal("/helpdesk/verify", agent.Location);
    }

    /// <summary>A verification audit event (2404) naming <paramref name="method"/>, <paramref name="outcome"/> and every one of <paramref name="names"/>.</summary>
    private void AssertAudited(string method, string outcome, params string[] names) =>
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Id.Id == 2404
            && r.Message.Contains($"\"{method}\"", StringComparison.Ordinal)
            && r.Message.Contains($"\"{outcome}\"", StringComparison.Ordinal)
            && names.All(n => r.Message.Contains(n, StringComparison.Ordinal)));

    private sealed class PlainPortal : PortalApp;
}
