using System.Net;
using MfaReset.Web.HelpDesk;
using MfaReset.Web.Notifications;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MfaReset.Web.Tests.HelpDesk;

/// <summary>After verification: the person's record, and the confirmed, audited actions (lift the pause, unlock, end sessions).</summary>
public sealed class ConsoleActionTests(HelpDeskPortal app) : IClassFixture<HelpDeskPortal>
{
    private const string Liam = "liam.locked@example.com";

    [Fact]
    public async Task PersonRecordAndActionsAreClosedUntilTheCallerIsVerified()
    {
        app.Fresh();
        using var agent = await app.NewAgentAsync();
        await agent.PostAsync("/helpdesk", ("Input.Username", Liam));

        foreach (var page in new[] { "/helpdesk/person", "/helpdesk/confirm/unlock" })
        {
            await agent.GetAsync(page);
            Assert.Equal("/helpdesk/verify", agent.Location);
        }

        await agent.GetAsync("/helpdesk");
        await agent.PostAsync("/helpdesk/person/act", ("action", "Unlock"));
        Assert.Equal("/helpdesk/verify", agent.Location);
        Assert.Equal("LOCKED_OUT", app.Okta.GetUser(Liam).Status);
        Assert.Equal(0, app.CallsFor(Liam, "unlockUser"));
    }

    [Fact]
    public async Task AgentLiftsThePauseTheCallerHitOnlyWhenConfirmed()
    {
        app.Fresh();
        await PauseAsync(Liam);
        using var agent = await VerifiedByPushAsync(Liam);
        Assert.Contains("On until", Fact(agent, "Verification pause"), StringComparison.Ordinal); // the check itself lifts nothing

        await agent.GetAsync(agent.Page.QuerySelectorAll("a").First(a => a.TextContent == "Lift the verification pause").GetAttribute("href")!);
        Assert.Equal("Confirm", agent.Heading);
        await agent.PostAsync("/helpdesk/person/act", ("action", "LiftPause"));
        await agent.FollowAsync();

        Assert.Contains("The verification pause is lifted", agent.Page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Off", Fact(agent, "Verification pause"));
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Id.Id == 2405 && r.Message.Contains("\"LiftPause\"", StringComparison.Ordinal) && r.Message.Contains("\"Done\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryEnrolledMethodIsListedOnTheCallersRecordByWhatItIs()
    {
        app.Fresh();
        using var agent = await VerifiedByPushAsync("max.multi@example.com"); // push, codes, a security question, email

        var methods = Fact(agent, "Methods");

        Assert.Contains("Other Okta factor: question (in use)", methods, StringComparison.Ordinal);
        Assert.Contains("Okta Verify push notification (in use)", methods, StringComparison.Ordinal);
        Assert.Contains("Email a code to m\u2022\u2022\u2022@example.com (in use)", methods, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentUnlocksALockedOutCallerInOkta()
    {
        app.Fresh();
        using var agent = await VerifiedByPushAsync(Liam);
        Assert.Equal("Locked out", Fact(agent, "Status"));

        await agent.GetAsync("/helpdesk/confirm/unlock");
        await agent.PostAsync("/helpdesk/person/act", ("action", "Unlock"));
        await agent.FollowAsync();

        Assert.Equal("ACTIVE", app.Okta.GetUser(Liam).Status);
        Assert.Equal("Active", Fact(agent, "Status"));
        Assert.Contains("The account is unlocked in Okta.", agent.Page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Id.Id == 2405 && r.Message.Contains("\"Unlock\"", StringComparison.Ordinal) && r.Message.Contains("\"Done\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnlockOfAnAccountThatIsNotLockedDoesNothingAndSaysSo()
    {
        app.Fresh();
        using var agent = await VerifiedByPushAsync("pat.push@example.com");
        Assert.Null(agent.Page.QuerySelectorAll("a").FirstOrDefault(a => a.TextContent == "Unlock the account"));

        await agent.GetAsync("/helpdesk/confirm/unlock");
        await agent.PostAsync("/helpdesk/person/act", ("action", "Unlock"));

        Assert.Equal("/helpdesk/person?done=Unlock%3ANotNeeded", agent.Location);
        Assert.Equal(0, app.CallsFor("pat.push@example.com", "unlockUser"));
    }

    [Fact]
    public async Task AgentEndsTheCallersOktaSessions()
    {
        app.Fresh();
        using var agent = await VerifiedByPushAsync("pat.push@example.com");

        await agent.GetAsync("/helpdesk/confirm/endsessions");
        await agent.PostAsync("/helpdesk/person/act", ("action", "EndSessions"));
        await agent.FollowAsync();

        Assert.NotNull(app.Okta.GetUser("pat.push@example.com").SessionsRevoked);
        Assert.Contains("The person's Okta sessions are ended", agent.Page.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReferenceFromAProblemPageShowsWhatHappenedInThatFlow()
    {
        app.Fresh();
        using var caller = app.NewBrowser();
        await caller.ChooseAsync("pat.push@example.com", "push");
        await caller.SendPushAsync();
        app.Okta.DenyPush(Assert.Single(app.Okta.GetPendingPushes("pat.push@example.com")).TransactionId);
        var (_, poll) = await caller.PollAsync();
        await caller.GetAsync(poll.GetProperty("redirect").GetString()!);
        var reference = caller.Page.QuerySelector("p.hint code")!.TextContent;

        using var agent = await app.NewAgentAsync();
        await agent.GetAsync("/helpdesk/reference?reference=" + reference);

        Assert.Equal(HttpStatusCode.OK, agent.Response.StatusCode);
        Assert.Equal("push-rejected", agent.Page.QuerySelector("dl.facts dd code")!.TextContent);
        Assert.Contains("Ended: push-rejected", agent.Page.QuerySelector("table.flows")!.TextContent, StringComparison.Ordinal);
        await agent.GetAsync("/helpdesk/reference?reference=0123456789abcdef0123456789abcdef");
        Assert.Equal(HttpStatusCode.NotFound, agent.Response.StatusCode);
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Id.Id == 2406 && r.Message.Contains("found-with-flow", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProblemPagesWithoutAFlowRecordAFewReferencesPerClientNotOnePerLoad()
    {
        app.Fresh();
        using var stranger = app.NewBrowser();
        var references = new List<string>();
        for (var load = 0; load < ProblemReferences.RecordsPerHolder + 5; load++)
        {
            await stranger.GetAsync("/reset/problem/expired");
            references.Add(stranger.Page.QuerySelector("p.hint code")!.TextContent);
        }

        var store = app.Services.GetRequiredService<ProblemReferences>();
        var kept = 0;
        foreach (var reference in references)
        {
            kept += await store.FindAsync(reference, TestContext.Current.CancellationToken) is null ? 0 : 1;
        }

        Assert.Equal(ProblemReferences.RecordsPerHolder, kept);
    }

    [Fact]
    public async Task AReportThatAChangeWasNotTheirsIsShownOnTheCallersRecord()
    {
        app.Fresh();
        using var before = await VerifiedByPushAsync(Liam);
        Assert.Empty(before.Page.QuerySelectorAll("ul.reports li"));
        var changedAt = app.Clock.GetUtcNow() - TimeSpan.FromHours(2);
        await app.Services.GetRequiredService<INoticeStore>().AddReportAsync(
            new WasntMeReport(app.Okta.GetUser(Liam).Id, "notice-1", NoticeKind.PasswordReset, changedAt, app.Clock.GetUtcNow(), "203.0.113.9", SessionsEnded: false),
            TestContext.Current.CancellationToken);

        using var agent = await VerifiedByPushAsync(Liam);

        var report = Assert.Single(agent.Page.QuerySelectorAll("ul.reports li")).TextContent;
        Assert.Contains("A password reset on " + changedAt.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), report, StringComparison.Ordinal);
        Assert.Contains("Okta sessions not ended", report, StringComparison.Ordinal);
    }

    private async Task<PortalBrowser> VerifiedByPushAsync(string login)
    {
        var agent = await app.NewAgentAsync();
        await HelpDeskPortal.SendAsync(agent, login, "Okta Verify push");
        var push = Assert.Single(app.Okta.GetPendingPushes(login));
        app.Okta.ApprovePush(push.TransactionId, push.CorrectAnswer);
        await agent.FollowAsync();
        app.Clock.Advance(TimeSpan.FromSeconds(10));
        await agent.PostAsync("/helpdesk/push/check");
        Assert.Equal("/helpdesk/person", agent.Location);
        await agent.FollowAsync();
        Assert.Equal("Verified caller", agent.Heading);
        return agent;
    }

    // Four wrong codes in a row, as the reset pages count them: the person's verification pause.
    private async Task PauseAsync(string login)
    {
        var pause = app.Services.GetRequiredService<VerificationPause>();
        var subject = FlowKeys.UserSubject(app.Okta.GetUser(login).Id);
        for (var i = 0; i < MfaReset.Web.Options.ResetLimits.ConsecutiveFailures; i++)
        {
            Assert.Null((await pause.TryReserveAsync(subject, "203.0.113.9", CancellationToken.None)).Refused);
        }
    }

    private static string Fact(PortalBrowser page, string term) =>
        page.Page.QuerySelectorAll("dl.facts dt").First(dt => dt.TextContent == term).NextElementSibling!.TextContent.Trim();
}
