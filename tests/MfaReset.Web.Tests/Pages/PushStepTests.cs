using System.Net;
using MfaReset.Okta.Sandbox;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>The push page and its poll endpoint: deny, wrong number, timeout, coalescing, cookies.</summary>
public sealed class PushStepTests : IClassFixture<PortalApp>
{
    private const string Login = "pat.push@example.com";
    private readonly PortalApp _app;

    public PushStepTests(PortalApp app)
    {
        _app = app;
        _app.FreshStart();
    }

    private async Task<PortalBrowser> PushSentAsync()
    {
        var browser = _app.NewBrowser();
        await browser.ChooseAsync(Login, "push");
        await browser.SendPushAsync();
        Assert.Equal("Check your phone", browser.Heading);
        return browser;
    }

    [Fact]
    public async Task DeniedPushEndsTheFlow()
    {
        using var browser = await PushSentAsync();
        var push = Assert.Single(_app.Okta.GetPendingPushes(Login));

        _app.Okta.DenyPush(push.TransactionId);
        var (_, body) = await browser.PollAsync();

        Assert.Equal("rejected", body.GetProperty("state").GetString());
        Assert.Equal("/reset/problem/push-rejected", body.GetProperty("redirect").GetString());
        await browser.GetAsync("/reset/problem/push-rejected");
        Assert.Equal(HttpStatusCode.Forbidden, browser.Response.StatusCode);
        Assert.Equal("The request was denied", browser.Heading);
        await browser.GetAsync("/reset/push");
        Assert.Equal("/reset/problem/push-rejected", browser.Location);
    }

    [Fact]
    public async Task PickingTheWrongNumberRejectsThePush()
    {
        using var browser = await PushSentAsync();
        var push = Assert.Single(_app.Okta.GetPendingPushes(Login));
        var wrong = push.Choices.First(n => n != push.CorrectAnswer);

        Assert.Equal(PushAnswerOutcome.WrongNumber, _app.Okta.ApprovePush(push.TransactionId, wrong));
        var (_, body) = await browser.PollAsync();

        Assert.Equal("rejected", body.GetProperty("state").GetString());
        Assert.False(_app.Okta.IsCurrentPassword(Login, PortalBrowser.Password));
    }

    [Fact]
    public async Task TimedOutPushOffersAnotherPushOrMethod()
    {
        _app.Okta.ScriptNextPush(Login, ScriptedPushOutcome.TimeOut);
        using var browser = await PushSentAsync();

        var (_, body) = await browser.PollAsync();
        Assert.Equal("expired", body.GetProperty("state").GetString());
        await browser.GetAsync(body.GetProperty("redirect").GetString()!);

        Assert.Equal("The push notification expired", browser.Heading);
        var again = browser.Page.QuerySelector("form button")!;
        Assert.Equal("Send another push", again.TextContent.Trim());
        Assert.True(again.HasAttribute("disabled"));
        Assert.NotNull(browser.Page.QuerySelectorAll("a").SingleOrDefault(a => a.TextContent == "Try another method"));
        _app.Clock.Advance(TimeSpan.FromSeconds(60));
        await browser.SendPushAsync();
        Assert.Equal("Check your phone", browser.Heading);
    }

    [Fact]
    public async Task PollsAreCoalescedWhateverTheirNumber()
    {
        using var browser = await PushSentAsync();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(3000, (await browser.PollAsync()).Body.GetProperty("next").GetInt32() / 1000 * 1000);
        }

        Assert.Equal(1, _app.CallsFor(Login, OktaOperations.GetFactorTransactionStatus));
        _app.Clock.Advance(TimeSpan.FromSeconds(3));
        await browser.PollAsync();
        Assert.Equal(2, _app.CallsFor(Login, OktaOperations.GetFactorTransactionStatus));
    }

    [Fact]
    public async Task PollWithoutAFlowCookieIsNotFound()
    {
        using var browser = _app.NewBrowser();
        await browser.GetAsync("/");

        var (status, _) = await browser.PollAsync();

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(0, _app.Okta.GetCallCounts().Total);
    }

    [Fact]
    public async Task PollWithAnotherFlowsCookieLearnsNothing()
    {
        using var owner = await PushSentAsync();
        using var other = _app.NewBrowser();
        await other.ChooseAsync(Login, "push");
        var pollsBefore = _app.CallsFor(Login, OktaOperations.GetFactorTransactionStatus);

        var (status, _) = await other.PollAsync();

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(pollsBefore, _app.CallsFor(Login, OktaOperations.GetFactorTransactionStatus));
        Assert.Single(_app.Okta.GetPendingPushes(Login));
        Assert.Equal("pending", (await owner.PollAsync()).Body.GetProperty("state").GetString());
    }

    [Fact]
    public async Task PollWithoutTheAntiforgeryHeaderIsRefused()
    {
        using var browser = await PushSentAsync();

        var (status, _) = await browser.PollAsync(antiforgeryToken: "forged");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(0, _app.CallsFor(Login, OktaOperations.GetFactorTransactionStatus));
    }

    [Fact]
    public async Task PushStatusNeverCarriesOktaIdsOrLinks()
    {
        using var browser = await PushSentAsync();
        var push = Assert.Single(_app.Okta.GetPendingPushes(Login));

        var (_, body) = await browser.PollAsync();

        Assert.Equal(["state", "number", "next"], body.EnumerateObject().Select(p => p.Name));
        Assert.DoesNotContain(push.TransactionId, browser.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(_app.Okta.GetUser(Login).Id, browser.Html, StringComparison.Ordinal);
    }
}
